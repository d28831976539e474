"""The one place that builds notifications: in-app inbox rows plus e-mail after the commit."""
