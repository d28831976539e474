"""Matching engine: documents, encoders, FAISS and lexical indexes, fusion, reasons.

The core knows nothing of Flask or of the feature packages.
"""
