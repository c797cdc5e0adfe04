// Raw bindings outside kernel_api.
