"""A report's text: loaded and cleaned with the way back to the original (`source`: the offset
map), other formats read into text (`readers`), its head as people get it (`head`: page fields,
headline, the body's year) and its sections along the heading hierarchy (`sections`)."""
