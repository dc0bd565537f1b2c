def fetch(path):
    pass
