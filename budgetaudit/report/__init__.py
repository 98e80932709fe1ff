"""Reporters: the same results rendered for people and machines."""
