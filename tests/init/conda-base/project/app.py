import gradio as gr

from sd_server.pipeline import generate

gr.Interface(fn=generate, inputs="text", outputs="image").launch(server_name="0.0.0.0")
