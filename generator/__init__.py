"""A static site generator for public archives of meeting minutes."""
