def generate(prompt):
    return None
