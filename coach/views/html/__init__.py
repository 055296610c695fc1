"""Pages to print: `coach report` for the therapist and `coach sheet` for the fridge door, as one HTML file each.

Self-contained (styles inline, charts as inline SVG, no script, nothing fetched), black on white, large
type, readable by a screen reader, and laid out to print on A4 and Letter alike.
"""
