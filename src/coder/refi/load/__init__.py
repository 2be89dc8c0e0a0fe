"""Loading a read REFI-QDA document into a new coder project, through the store."""
