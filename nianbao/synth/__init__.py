"""Generated reports with known values: the project's own test and benchmark material."""

from nianbao.synth.text import TextReportSpec, render_text
from nianbao.synth.values import random_tables

__all__ = ["TextReportSpec", "random_tables", "render_text"]
