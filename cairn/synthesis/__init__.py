"""Django-free synthesis: statements in, themes out."""
