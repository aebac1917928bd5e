// placeholder: the server SDK worker (see para-local/README.md)
