"""History: snapshots of the lists over time, the events between them, and the dated
designations that result."""
