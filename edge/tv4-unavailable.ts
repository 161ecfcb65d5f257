// fbp requires tv4 only to validate graphs against its JSON schema, which the catalogue never asks for.
throw new Error("tv4 is not bundled with the Worker.");
