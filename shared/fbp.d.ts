declare module "fbp" {
  const fbp: { parse(source: string, options?: { caseSensitive?: boolean }): unknown };
  export default fbp;
}
