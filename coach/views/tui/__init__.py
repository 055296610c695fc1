"""The Textual player: big, calm, keyboard-only, hands-free. The only package that imports textual."""
