// placeholder: the browser SDK worker (see para-local/README.md)
