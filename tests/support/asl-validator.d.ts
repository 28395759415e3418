declare module "asl-validator" {
  /** asl-validator 4 (CommonJS, no types): validates an Amazon States Language definition. */
  export default function validator(
    definition: unknown,
    opts?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: { "Error code": string; Message: string }[] };
}
