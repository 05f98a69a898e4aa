"""Find the numbers in Chinese report text by regex, with their spans.

SPEC (to be implemented; interface fixed):

    @dataclass(frozen=True, slots=True)
    class Mention:
        start: int            # offset of the first char of the mention in the text given
        end: int              # offset one past the last char (unit included)
        text: str             # text[start:end], e.g. "超3668家", "197.54亿", "全市第一"
        number: str           # the numeral as written, e.g. "3668", "197.54", "一", "千"
        value: float          # the value as written, in the unit as written: 197.54 for 197.54亿
        unit: str | None      # unit as written, magnitude included, normalised per gold guide:
                              # "亿元" for a bare money 亿, "万人次", "家", "%", "个百分点", "倍", "名" (rank)
        approx: str           # "exact" | "over" | "about" | "under"
        category: str         # "quantity" | "rank" | "year" | "date" | "ordinal" | "list_marker"
                              # | "doc_number" | "name" | "other"
        @property
        def is_quantity(self) -> bool: ...   # category in {"quantity", "rank"}

    def find_numbers(text: str) -> list[Mention]      # every numeral, classified, sorted by start
    def find_quantities(text: str) -> list[Mention]   # only is_quantity ones
    def parse_chinese_number(s: str) -> float         # "三" -> 3, "十四" -> 14, "一万" -> 10000, "两" -> 2
"""
