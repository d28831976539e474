"""The scenario taxonomy: industries, the ten categories, the 104 templates."""
