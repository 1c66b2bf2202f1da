"""Photos: pure Pillow processing, content-addressed storage, rights-checked serving."""
