"""The schemas the model answers in, validated by pydantic.

A section's figures are named in an id-to-name object whose schema is built per
section (`llmx.model.answers.id_schema`) and whose check and re-ask are llmx's own
(`llmx.model.answers`). The report's head is read into `MetaAnswer` through the same loop
(`llmx.model.answers.ask_model`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["MetaAnswer"]


class MetaAnswer(BaseModel):
    """The report's head fields, copied from the text."""

    issuer: str | None = None
    region: str | None = None
    doc_number: str | None = None
    title: str | None = None
    issued_on: str | None = Field(default=None, description="YYYY-MM-DD")
