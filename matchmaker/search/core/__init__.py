"""The pure search core: documents, encoders, dense (FAISS) and lexical indexes, ranking and
fusion, calibration, explanations, classification, evaluation, snapshots on disk.

Knows nothing of Flask, of the database or of the feature packages (see the import contract
in pyproject.toml): it takes plain records and encoders in and gives plain results back.
"""
