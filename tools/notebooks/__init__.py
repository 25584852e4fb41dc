"""One module per notebook: ``nbNN_name.py`` defines ``CELLS``."""
