/** The token of an `Authorization` header, `Bearer <token>` or the bare token as old clients send it. */
export const bearerToken = (authorization: string | undefined): string | undefined => authorization?.replace(/^Bearer\s+/i, '').trim() || undefined;
