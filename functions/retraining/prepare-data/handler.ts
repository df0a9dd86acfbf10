// placeholder so the CDK app can reference and bundle this entry; issue 4 replaces it with the real handler
export const handler = async (_event: unknown): Promise<never> => {
  throw new Error('not implemented yet: issue 4');
};
