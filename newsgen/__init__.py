"""newsgen: raw French news text -> structured records -> a static archive site."""

__version__ = "0.1.0"
