"""The schemas the model answers in (pydantic, validated through instructor).

The model is asked only for what needs reading: which of the regex-found
numbers are indicators, and what each measures. Value, unit, magnitude and
approximation come from the regex mention; kind and period from cue words
(`llmx.context`). The model echoes each number's value so that a mis-numbered
answer is caught by the cross-check in the validator below, which instructor
turns into a re-ask carrying the reasons.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from .check import item_problems

__all__ = ["Item", "SectionAnswer", "MetaAnswer"]


class Item(BaseModel):
    """One numbered figure of the section, named."""

    id: int = Field(description="the number's id in the list")
    value: str = Field(description="the number copied from the list")
    name: str = Field(description="short self-contained name of what the number measures")

    @field_validator("value", mode="before")
    @classmethod
    def _as_text(cls, v: object) -> object:
        return str(v) if isinstance(v, (int, float)) else v


class SectionAnswer(BaseModel):
    """The model's answer for one section."""

    items: list[Item] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_check(self, info: ValidationInfo) -> "SectionAnswer":
        context = info.context or {}
        mentions = context.get("mentions")
        if mentions is None:
            return self
        problems = [p for item in self.items for p in item_problems(item.id, item.value, item.name, mentions)]
        seen: set[int] = set()
        for item in self.items:
            if item.id in seen:
                problems.append(f"id {item.id} 重复出现，每个编号只输出一次")
            seen.add(item.id)
        if problems:
            raise ValueError("；".join(problems))
        return self


class MetaAnswer(BaseModel):
    """The report's head fields, copied from the text."""

    issuer: str | None = None
    region: str | None = None
    doc_number: str | None = None
    title: str | None = None
    issued_on: str | None = Field(default=None, description="YYYY-MM-DD")
