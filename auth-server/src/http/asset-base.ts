import type { RequestHandler } from 'express';

/** For pages served one level down (`/open/<token>`, `/share/search`): their stylesheet, links and forms are one level up. */
export const oneLevelDown: RequestHandler = (_req, res, next) => {
  res.locals.assetBase = '../';
  next();
};
