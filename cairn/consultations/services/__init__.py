"""Writes and reads for consultations, one module per topic:

- `building`: question sets (create, add, move, remove questions, open and close).
- `answering`: web answers with saved progress, and staff entry of phone and paper answers.
- `paper`: reference codes, the printable PDF form and sending it in the letter batch.
- `importing`: responses from another survey tool's CSV, all or nothing.
- `results`: counts by sector and channel, and the synthesis hook for open questions.
"""
