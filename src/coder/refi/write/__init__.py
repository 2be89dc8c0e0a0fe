"""Writing a project as a REFI-QDA .qdpx, or its codebook as a .qdc."""
