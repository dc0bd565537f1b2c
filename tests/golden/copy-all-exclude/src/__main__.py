print("src")
