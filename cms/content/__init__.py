"""Content: articles, authors and tags, and the rules for saving and showing them."""
