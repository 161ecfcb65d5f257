/** fbp-protocol ships its message schemas with a tv4 validator, untyped. */
declare module "fbp-protocol/schema/index.js" {
  const validator: {
    validateMultiple(
      data: unknown,
      schema: string,
    ): { errors: { message: string; dataPath: string }[]; valid: boolean };
  };
  export default validator;
}
