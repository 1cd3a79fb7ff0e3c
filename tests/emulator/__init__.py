"""Tests of the provider emulator."""
