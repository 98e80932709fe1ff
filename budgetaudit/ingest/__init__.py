"""Stage 5, reading a PDF into the document model: characters and ruled tables off
the page (reader.py, bounded by pdfguard.py), tables assembled with titles, units and
column keys (assemble.py), the 目录, headings and sections (outline.py), narrative
sentences (sentences.py), the facts each sentence states (facts.py), and what kind of
document the file is (doctype.py)."""
