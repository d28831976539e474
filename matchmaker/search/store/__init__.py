"""The search package's database side: stored documents and vectors (models, store), the text
vector cache, the match judgments and the per-process index holder that follows the stored
version. Imports the core, never the app edge (`search.app`) or a feature package.
"""
