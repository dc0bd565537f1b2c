"""Speech to text with a Whisper model."""
