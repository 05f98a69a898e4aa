"""A report's text: loaded and cleaned with the way back to the original (`source`: the offset
map), other formats read into text (`readers`), and its sections along the heading hierarchy
(`sections`). The first stage of the pipeline; it imports nothing of the later ones."""
