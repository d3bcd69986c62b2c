export { dyt, type DytOptions } from './dyt.js';
