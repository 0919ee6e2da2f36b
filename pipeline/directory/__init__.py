"""The multilingual B2B directory (issue 18): a static site of the region's manufacturers that
agreed to be published, in Korean, English, Chinese and Vietnamese.

Only consenting firms and only public fields reach it (public.py). Every translated string keeps
its source (official, label, glossary, memory, own, romanised, untranslated; translate.py), so
nothing is machine-translated silently; untranslated terms go to a translator as a workbook and
come back into a translation memory (terms.py, memory.py). build.py writes the site.
"""

LANGUAGES = ("ko", "en", "zh", "vi")
SOURCES = ("original", "own", "official", "label", "glossary", "memory", "romanised", "untranslated")
