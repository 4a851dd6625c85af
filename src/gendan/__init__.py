"""Gendan (跟单): the order follow-up system."""
