"""Access: the one visibility policy (who may see and change what) and the roles it reads."""
