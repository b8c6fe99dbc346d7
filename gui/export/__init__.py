"""Exports and session files: screenshots, animations, trajectories, presets, the render CLI."""
