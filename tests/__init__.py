"""Tests of the SMS Gateway integration."""
