def test_tasks():
    pass
