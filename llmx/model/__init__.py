"""The model: an OpenAI-compatible endpoint (`client`, `transport`, `runtime`), the embedded
local server (`local`), prompt files and answer schemas (`prompts`, `schema`), and the
check-and-re-ask loop (`answers`). The stages before it never import it."""
