/**
 * Structured Field Values for HTTP (RFC 9651, which obsoletes RFC 8941): the data model, a strict
 * linear-time parser and a canonical serialiser, for the fields RFC 9421 message signatures use
 * (`Signature-Input`, `Signature`, `Accept-Signature`) and any other structured field.
 * @module
 */
export { SfParseError, SfSerializeError } from './errors.js'
export {
  type BareItem,
  Decimal,
  type Dictionary,
  DisplayString,
  type InnerList,
  type Item,
  isInnerList,
  type List,
  type ListMember,
  type Parameters,
  SfDate,
  Token,
} from './model.js'
export {
  parseDictionary,
  parseDictionaryLines,
  parseItem,
  parseList,
  parseListLines,
} from './parse.js'
export {
  serializeBareItem,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
  serializeParams,
} from './serialize.js'
