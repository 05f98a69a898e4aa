#!/usr/bin/env python3
"""Self-check of eval/real's gold files: `python3 eval/real/validate.py [STEM ...]` (scripts/validate_gold.py)."""
import runpy
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.argv[1:1] = [str(here)]
runpy.run_path(str(here.parent.parent / "scripts" / "validate_gold.py"), run_name="__main__")
