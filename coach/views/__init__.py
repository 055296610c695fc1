"""Everything a person sees or types: the one key table, the preview, plain mode and the Textual player."""
