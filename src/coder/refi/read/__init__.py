"""Reading a REFI-QDA file safely into a ``RefiDocument``: zip checks, safe XML parsing."""
