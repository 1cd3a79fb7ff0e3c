"""Tests of how the repository is laid out: module imports and file sizes."""
