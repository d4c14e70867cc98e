// GENERATED — DO NOT EDIT; run npm run gen:proto
// Sources: proto/isochron/telemetry/v1/telemetry.proto
/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Array = $util.global.Array, $Number = $util.global.Number, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt;

// Exported root namespace
const $root = $protobuf.roots["isochron"] || ($protobuf.roots["isochron"] = {});

export const isochron = $root.isochron = (() => {

    /**
     * Namespace isochron.
     * @exports isochron
     * @namespace
     */
    const isochron = {};

    isochron.telemetry = (function() {

        /**
         * Namespace telemetry.
         * @memberof isochron
         * @namespace
         */
        const telemetry = {};

        telemetry.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof isochron.telemetry
             * @namespace
             */
            const v1 = {};

            /**
             * NetworkType enum.
             * @name isochron.telemetry.v1.NetworkType
             * @enum {number}
             * @property {number} NETWORK_TYPE_UNSPECIFIED=0 NETWORK_TYPE_UNSPECIFIED value
             * @property {number} NETWORK_TYPE_5G=1 NETWORK_TYPE_5G value
             * @property {number} NETWORK_TYPE_TSN=2 NETWORK_TYPE_TSN value
             * @property {number} NETWORK_TYPE_INDUSTRIAL_ETHERNET=3 NETWORK_TYPE_INDUSTRIAL_ETHERNET value
             * @property {number} NETWORK_TYPE_WIFI6=4 NETWORK_TYPE_WIFI6 value
             */
            v1.NetworkType = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "NETWORK_TYPE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "NETWORK_TYPE_5G"] = 1;
                values[valuesById[2] = "NETWORK_TYPE_TSN"] = 2;
                values[valuesById[3] = "NETWORK_TYPE_INDUSTRIAL_ETHERNET"] = 3;
                values[valuesById[4] = "NETWORK_TYPE_WIFI6"] = 4;
                return values;
            })();

            v1.Identity = (function() {

                /**
                 * Properties of an Identity.
                 * @typedef {Object} isochron.telemetry.v1.Identity.$Properties
                 * @property {string|null} [enterpriseId] Identity enterpriseId
                 * @property {string|null} [siteId] Identity siteId
                 * @property {isochron.telemetry.v1.NetworkType|null} [networkType] Identity networkType
                 * @property {string|null} [segmentId] Identity segmentId
                 * @property {string|null} [deviceId] Identity deviceId
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Identity.
                 * @memberof isochron.telemetry.v1
                 * @interface IIdentity
                 * @augments isochron.telemetry.v1.Identity.$Properties
                 * @deprecated Use isochron.telemetry.v1.Identity.$Properties instead.
                 */

                /**
                 * Shape of an Identity.
                 * @typedef {isochron.telemetry.v1.Identity.$Properties} isochron.telemetry.v1.Identity.$Shape
                 */

                /**
                 * Constructs a new Identity.
                 * @memberof isochron.telemetry.v1
                 * @classdesc Represents an Identity.
                 * @constructor
                 * @param {isochron.telemetry.v1.Identity.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Identity = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Identity enterpriseId.
                 * @member {string} enterpriseId
                 * @memberof isochron.telemetry.v1.Identity
                 * @instance
                 */
                Identity.prototype.enterpriseId = "";

                /**
                 * Identity siteId.
                 * @member {string} siteId
                 * @memberof isochron.telemetry.v1.Identity
                 * @instance
                 */
                Identity.prototype.siteId = "";

                /**
                 * Identity networkType.
                 * @member {isochron.telemetry.v1.NetworkType} networkType
                 * @memberof isochron.telemetry.v1.Identity
                 * @instance
                 */
                Identity.prototype.networkType = 0;

                /**
                 * Identity segmentId.
                 * @member {string} segmentId
                 * @memberof isochron.telemetry.v1.Identity
                 * @instance
                 */
                Identity.prototype.segmentId = "";

                /**
                 * Identity deviceId.
                 * @member {string} deviceId
                 * @memberof isochron.telemetry.v1.Identity
                 * @instance
                 */
                Identity.prototype.deviceId = "";

                /**
                 * Creates a new Identity instance using the specified properties.
                 * @function create
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {isochron.telemetry.v1.Identity.$Properties=} [properties] Properties to set
                 * @returns {isochron.telemetry.v1.Identity} Identity instance
                 * @type {{
                 *   (properties: isochron.telemetry.v1.Identity.$Shape): isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape;
                 *   (properties?: isochron.telemetry.v1.Identity.$Properties): isochron.telemetry.v1.Identity;
                 * }}
                 */
                Identity.create = function(properties) {
                    return new Identity(properties);
                };

                /**
                 * Encodes the specified Identity message. Does not implicitly {@link isochron.telemetry.v1.Identity.verify|verify} messages.
                 * @function encode
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {isochron.telemetry.v1.Identity.$Properties} message Identity message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Identity.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.enterpriseId != null && $Object.hasOwnProperty.call(message, "enterpriseId") && message.enterpriseId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.enterpriseId);
                    if (message.siteId != null && $Object.hasOwnProperty.call(message, "siteId") && message.siteId !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.siteId);
                    if (message.networkType != null && $Object.hasOwnProperty.call(message, "networkType") && message.networkType !== 0)
                        writer.uint32(/* id 3, wireType 0 =*/24).int32(message.networkType);
                    if (message.segmentId != null && $Object.hasOwnProperty.call(message, "segmentId") && message.segmentId !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.segmentId);
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId") && message.deviceId !== "")
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.deviceId);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified Identity message, length delimited. Does not implicitly {@link isochron.telemetry.v1.Identity.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {isochron.telemetry.v1.Identity.$Properties} message Identity message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Identity.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes an Identity message from the specified reader or buffer.
                 * @function decode
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Identity.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.isochron.telemetry.v1.Identity();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.enterpriseId = value;
                                else
                                    delete message.enterpriseId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.siteId = value;
                                else
                                    delete message.siteId;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.networkType = value;
                                else
                                    delete message.networkType;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.segmentId = value;
                                else
                                    delete message.segmentId;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.deviceId = value;
                                else
                                    delete message.deviceId;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes an Identity message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {isochron.telemetry.v1.Identity & isochron.telemetry.v1.Identity.$Shape} Identity
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Identity.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies an Identity message.
                 * @function verify
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Identity.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.enterpriseId != null && $Object.hasOwnProperty.call(message, "enterpriseId"))
                        if (!$util.isString(message.enterpriseId))
                            return "enterpriseId: string expected";
                    if (message.siteId != null && $Object.hasOwnProperty.call(message, "siteId"))
                        if (!$util.isString(message.siteId))
                            return "siteId: string expected";
                    if (message.networkType != null && $Object.hasOwnProperty.call(message, "networkType"))
                        if (typeof message.networkType !== "number" || (message.networkType | 0) !== message.networkType)
                            return "networkType: enum value expected";
                    if (message.segmentId != null && $Object.hasOwnProperty.call(message, "segmentId"))
                        if (!$util.isString(message.segmentId))
                            return "segmentId: string expected";
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId"))
                        if (!$util.isString(message.deviceId))
                            return "deviceId: string expected";
                    return null;
                };

                /**
                 * Creates an Identity message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {isochron.telemetry.v1.Identity} Identity
                 */
                Identity.fromObject = function (object, _depth) {
                    if (object instanceof $root.isochron.telemetry.v1.Identity)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".isochron.telemetry.v1.Identity: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.isochron.telemetry.v1.Identity();
                    if (object.enterpriseId != null)
                        if (typeof object.enterpriseId !== "string" || object.enterpriseId.length)
                            message.enterpriseId = $String(object.enterpriseId);
                    if (object.siteId != null)
                        if (typeof object.siteId !== "string" || object.siteId.length)
                            message.siteId = $String(object.siteId);
                    if (object.networkType !== 0 && (typeof object.networkType !== "string" || $root.isochron.telemetry.v1.NetworkType[object.networkType] !== 0))
                        switch (object.networkType) {
                        case "NETWORK_TYPE_UNSPECIFIED":
                        case 0:
                            message.networkType = 0;
                            break;
                        case "NETWORK_TYPE_5G":
                        case 1:
                            message.networkType = 1;
                            break;
                        case "NETWORK_TYPE_TSN":
                        case 2:
                            message.networkType = 2;
                            break;
                        case "NETWORK_TYPE_INDUSTRIAL_ETHERNET":
                        case 3:
                            message.networkType = 3;
                            break;
                        case "NETWORK_TYPE_WIFI6":
                        case 4:
                            message.networkType = 4;
                            break;
                        default:
                            if (typeof object.networkType === "number" && (object.networkType | 0) === object.networkType)
                                message.networkType = object.networkType;
                        }
                    if (object.segmentId != null)
                        if (typeof object.segmentId !== "string" || object.segmentId.length)
                            message.segmentId = $String(object.segmentId);
                    if (object.deviceId != null)
                        if (typeof object.deviceId !== "string" || object.deviceId.length)
                            message.deviceId = $String(object.deviceId);
                    return message;
                };

                /**
                 * Creates a plain object from an Identity message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {isochron.telemetry.v1.Identity} message Identity
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Identity.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.enterpriseId = "";
                        object.siteId = "";
                        object.networkType = options.enums === $String ? "NETWORK_TYPE_UNSPECIFIED" : 0;
                        object.segmentId = "";
                        object.deviceId = "";
                    }
                    if (message.enterpriseId != null && $Object.hasOwnProperty.call(message, "enterpriseId"))
                        object.enterpriseId = message.enterpriseId;
                    if (message.siteId != null && $Object.hasOwnProperty.call(message, "siteId"))
                        object.siteId = message.siteId;
                    if (message.networkType != null && $Object.hasOwnProperty.call(message, "networkType"))
                        object.networkType = options.enums === $String ? $root.isochron.telemetry.v1.NetworkType[message.networkType] === $undefined ? message.networkType : $root.isochron.telemetry.v1.NetworkType[message.networkType] : message.networkType;
                    if (message.segmentId != null && $Object.hasOwnProperty.call(message, "segmentId"))
                        object.segmentId = message.segmentId;
                    if (message.deviceId != null && $Object.hasOwnProperty.call(message, "deviceId"))
                        object.deviceId = message.deviceId;
                    return object;
                };

                /**
                 * Converts this Identity to JSON.
                 * @function toJSON
                 * @memberof isochron.telemetry.v1.Identity
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Identity.prototype.toJSON = function() {
                    return Identity.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for Identity
                 * @function getTypeUrl
                 * @memberof isochron.telemetry.v1.Identity
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                Identity.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/isochron.telemetry.v1.Identity";
                };

                return Identity;
            })();

            v1.FlowSamples = (function() {

                /**
                 * Properties of a FlowSamples.
                 * @typedef {Object} isochron.telemetry.v1.FlowSamples.$Properties
                 * @property {string|null} [flowId] FlowSamples flowId
                 * @property {number|null} [seqBits] FlowSamples seqBits
                 * @property {number|Long|null} [baseSendNs] FlowSamples baseSendNs
                 * @property {number|null} [baseSeq] FlowSamples baseSeq
                 * @property {Array.<number|Long>|null} [seqDelta] FlowSamples seqDelta
                 * @property {Array.<number|Long>|null} [sendDeltaNs] FlowSamples sendDeltaNs
                 * @property {Array.<number|Long>|null} [delayNs] FlowSamples delayNs
                 * @property {Array.<number>|null} [sizeBytes] FlowSamples sizeBytes
                 * @property {Array.<number>|null} [flags] FlowSamples flags
                 * @property {number|Long|null} [transferIntervalNs] FlowSamples transferIntervalNs
                 * @property {number|Long|null} [maxLatencyNs] FlowSamples maxLatencyNs
                 * @property {number|Long|null} [survivalTimeNs] FlowSamples survivalTimeNs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a FlowSamples.
                 * @memberof isochron.telemetry.v1
                 * @interface IFlowSamples
                 * @augments isochron.telemetry.v1.FlowSamples.$Properties
                 * @deprecated Use isochron.telemetry.v1.FlowSamples.$Properties instead.
                 */

                /**
                 * Shape of a FlowSamples.
                 * @typedef {isochron.telemetry.v1.FlowSamples.$Properties} isochron.telemetry.v1.FlowSamples.$Shape
                 */

                /**
                 * Constructs a new FlowSamples.
                 * @memberof isochron.telemetry.v1
                 * @classdesc Represents a FlowSamples.
                 * @constructor
                 * @param {isochron.telemetry.v1.FlowSamples.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const FlowSamples = function (properties) {
                    this.seqDelta = [];
                    this.sendDeltaNs = [];
                    this.delayNs = [];
                    this.sizeBytes = [];
                    this.flags = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * FlowSamples flowId.
                 * @member {string} flowId
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.flowId = "";

                /**
                 * FlowSamples seqBits.
                 * @member {number} seqBits
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.seqBits = 0;

                /**
                 * FlowSamples baseSendNs.
                 * @member {number|Long} baseSendNs
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.baseSendNs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * FlowSamples baseSeq.
                 * @member {number} baseSeq
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.baseSeq = 0;

                /**
                 * FlowSamples seqDelta.
                 * @member {Array.<number|Long>} seqDelta
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.seqDelta = $util.emptyArray;

                /**
                 * FlowSamples sendDeltaNs.
                 * @member {Array.<number|Long>} sendDeltaNs
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.sendDeltaNs = $util.emptyArray;

                /**
                 * FlowSamples delayNs.
                 * @member {Array.<number|Long>} delayNs
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.delayNs = $util.emptyArray;

                /**
                 * FlowSamples sizeBytes.
                 * @member {Array.<number>} sizeBytes
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.sizeBytes = $util.emptyArray;

                /**
                 * FlowSamples flags.
                 * @member {Array.<number>} flags
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.flags = $util.emptyArray;

                /**
                 * FlowSamples transferIntervalNs.
                 * @member {number|Long} transferIntervalNs
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.transferIntervalNs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * FlowSamples maxLatencyNs.
                 * @member {number|Long} maxLatencyNs
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.maxLatencyNs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * FlowSamples survivalTimeNs.
                 * @member {number|Long} survivalTimeNs
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 */
                FlowSamples.prototype.survivalTimeNs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new FlowSamples instance using the specified properties.
                 * @function create
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {isochron.telemetry.v1.FlowSamples.$Properties=} [properties] Properties to set
                 * @returns {isochron.telemetry.v1.FlowSamples} FlowSamples instance
                 * @type {{
                 *   (properties: isochron.telemetry.v1.FlowSamples.$Shape): isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape;
                 *   (properties?: isochron.telemetry.v1.FlowSamples.$Properties): isochron.telemetry.v1.FlowSamples;
                 * }}
                 */
                FlowSamples.create = function(properties) {
                    return new FlowSamples(properties);
                };

                /**
                 * Encodes the specified FlowSamples message. Does not implicitly {@link isochron.telemetry.v1.FlowSamples.verify|verify} messages.
                 * @function encode
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {isochron.telemetry.v1.FlowSamples.$Properties} message FlowSamples message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                FlowSamples.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.flowId != null && $Object.hasOwnProperty.call(message, "flowId") && message.flowId !== "")
                        writer.uint32(/* id 1, wireType 2 =*/10).string(message.flowId);
                    if (message.seqBits != null && $Object.hasOwnProperty.call(message, "seqBits") && message.seqBits !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.seqBits);
                    if (message.baseSendNs != null && $Object.hasOwnProperty.call(message, "baseSendNs") && (typeof message.baseSendNs === "object" ? message.baseSendNs.low || message.baseSendNs.high : message.baseSendNs !== 0))
                        writer.uint32(/* id 3, wireType 1 =*/25).fixed64(message.baseSendNs);
                    if (message.baseSeq != null && $Object.hasOwnProperty.call(message, "baseSeq") && message.baseSeq !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.baseSeq);
                    if (message.seqDelta != null && message.seqDelta.length)
                        writer.uint32(/* id 5, wireType 2 =*/42).sint64s(message.seqDelta);
                    if (message.sendDeltaNs != null && message.sendDeltaNs.length)
                        writer.uint32(/* id 6, wireType 2 =*/50).sint64s(message.sendDeltaNs);
                    if (message.delayNs != null && message.delayNs.length)
                        writer.uint32(/* id 7, wireType 2 =*/58).sint64s(message.delayNs);
                    if (message.sizeBytes != null && message.sizeBytes.length)
                        writer.uint32(/* id 8, wireType 2 =*/66).uint32s(message.sizeBytes);
                    if (message.flags != null && message.flags.length)
                        writer.uint32(/* id 9, wireType 2 =*/74).uint32s(message.flags);
                    if (message.transferIntervalNs != null && $Object.hasOwnProperty.call(message, "transferIntervalNs") && (typeof message.transferIntervalNs === "object" ? message.transferIntervalNs.low || message.transferIntervalNs.high : message.transferIntervalNs !== 0))
                        writer.uint32(/* id 10, wireType 0 =*/80).uint64(message.transferIntervalNs);
                    if (message.maxLatencyNs != null && $Object.hasOwnProperty.call(message, "maxLatencyNs") && (typeof message.maxLatencyNs === "object" ? message.maxLatencyNs.low || message.maxLatencyNs.high : message.maxLatencyNs !== 0))
                        writer.uint32(/* id 11, wireType 0 =*/88).uint64(message.maxLatencyNs);
                    if (message.survivalTimeNs != null && $Object.hasOwnProperty.call(message, "survivalTimeNs") && (typeof message.survivalTimeNs === "object" ? message.survivalTimeNs.low || message.survivalTimeNs.high : message.survivalTimeNs !== 0))
                        writer.uint32(/* id 12, wireType 0 =*/96).uint64(message.survivalTimeNs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified FlowSamples message, length delimited. Does not implicitly {@link isochron.telemetry.v1.FlowSamples.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {isochron.telemetry.v1.FlowSamples.$Properties} message FlowSamples message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                FlowSamples.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a FlowSamples message from the specified reader or buffer.
                 * @function decode
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape} FlowSamples
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                FlowSamples.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.isochron.telemetry.v1.FlowSamples();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.flowId = value;
                                else
                                    delete message.flowId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.seqBits = value;
                                else
                                    delete message.seqBits;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 1)
                                    break;
                                if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                    message.baseSendNs = value;
                                else
                                    delete message.baseSendNs;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.baseSeq = value;
                                else
                                    delete message.baseSeq;
                                continue;
                            }
                        case 5: {
                                if (wireType === 2) {
                                    if (!(message.seqDelta && message.seqDelta.length))
                                        message.seqDelta = [];
                                    reader.sint64s(message.seqDelta);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.seqDelta && message.seqDelta.length))
                                    message.seqDelta = [];
                                message.seqDelta.push(reader.sint64());
                                continue;
                            }
                        case 6: {
                                if (wireType === 2) {
                                    if (!(message.sendDeltaNs && message.sendDeltaNs.length))
                                        message.sendDeltaNs = [];
                                    reader.sint64s(message.sendDeltaNs);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.sendDeltaNs && message.sendDeltaNs.length))
                                    message.sendDeltaNs = [];
                                message.sendDeltaNs.push(reader.sint64());
                                continue;
                            }
                        case 7: {
                                if (wireType === 2) {
                                    if (!(message.delayNs && message.delayNs.length))
                                        message.delayNs = [];
                                    reader.sint64s(message.delayNs);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.delayNs && message.delayNs.length))
                                    message.delayNs = [];
                                message.delayNs.push(reader.sint64());
                                continue;
                            }
                        case 8: {
                                if (wireType === 2) {
                                    if (!(message.sizeBytes && message.sizeBytes.length))
                                        message.sizeBytes = [];
                                    reader.uint32s(message.sizeBytes);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.sizeBytes && message.sizeBytes.length))
                                    message.sizeBytes = [];
                                message.sizeBytes.push(reader.uint32());
                                continue;
                            }
                        case 9: {
                                if (wireType === 2) {
                                    if (!(message.flags && message.flags.length))
                                        message.flags = [];
                                    reader.uint32s(message.flags);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.flags && message.flags.length))
                                    message.flags = [];
                                message.flags.push(reader.uint32());
                                continue;
                            }
                        case 10: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.transferIntervalNs = value;
                                else
                                    delete message.transferIntervalNs;
                                continue;
                            }
                        case 11: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.maxLatencyNs = value;
                                else
                                    delete message.maxLatencyNs;
                                continue;
                            }
                        case 12: {
                                if (wireType !== 0)
                                    break;
                                if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                    message.survivalTimeNs = value;
                                else
                                    delete message.survivalTimeNs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a FlowSamples message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {isochron.telemetry.v1.FlowSamples & isochron.telemetry.v1.FlowSamples.$Shape} FlowSamples
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                FlowSamples.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a FlowSamples message.
                 * @function verify
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                FlowSamples.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.flowId != null && $Object.hasOwnProperty.call(message, "flowId"))
                        if (!$util.isString(message.flowId))
                            return "flowId: string expected";
                    if (message.seqBits != null && $Object.hasOwnProperty.call(message, "seqBits"))
                        if (!$util.isInteger(message.seqBits))
                            return "seqBits: integer expected";
                    if (message.baseSendNs != null && $Object.hasOwnProperty.call(message, "baseSendNs"))
                        if (!$util.isInteger(message.baseSendNs) && !(message.baseSendNs && $util.isInteger(message.baseSendNs.low) && $util.isInteger(message.baseSendNs.high)))
                            return "baseSendNs: integer|Long expected";
                    if (message.baseSeq != null && $Object.hasOwnProperty.call(message, "baseSeq"))
                        if (!$util.isInteger(message.baseSeq))
                            return "baseSeq: integer expected";
                    if (message.seqDelta != null && $Object.hasOwnProperty.call(message, "seqDelta")) {
                        if (!$Array.isArray(message.seqDelta))
                            return "seqDelta: array expected";
                        for (let i = 0; i < message.seqDelta.length; ++i)
                            if (!$util.isInteger(message.seqDelta[i]) && !(message.seqDelta[i] && $util.isInteger(message.seqDelta[i].low) && $util.isInteger(message.seqDelta[i].high)))
                                return "seqDelta: integer|Long[] expected";
                    }
                    if (message.sendDeltaNs != null && $Object.hasOwnProperty.call(message, "sendDeltaNs")) {
                        if (!$Array.isArray(message.sendDeltaNs))
                            return "sendDeltaNs: array expected";
                        for (let i = 0; i < message.sendDeltaNs.length; ++i)
                            if (!$util.isInteger(message.sendDeltaNs[i]) && !(message.sendDeltaNs[i] && $util.isInteger(message.sendDeltaNs[i].low) && $util.isInteger(message.sendDeltaNs[i].high)))
                                return "sendDeltaNs: integer|Long[] expected";
                    }
                    if (message.delayNs != null && $Object.hasOwnProperty.call(message, "delayNs")) {
                        if (!$Array.isArray(message.delayNs))
                            return "delayNs: array expected";
                        for (let i = 0; i < message.delayNs.length; ++i)
                            if (!$util.isInteger(message.delayNs[i]) && !(message.delayNs[i] && $util.isInteger(message.delayNs[i].low) && $util.isInteger(message.delayNs[i].high)))
                                return "delayNs: integer|Long[] expected";
                    }
                    if (message.sizeBytes != null && $Object.hasOwnProperty.call(message, "sizeBytes")) {
                        if (!$Array.isArray(message.sizeBytes))
                            return "sizeBytes: array expected";
                        for (let i = 0; i < message.sizeBytes.length; ++i)
                            if (!$util.isInteger(message.sizeBytes[i]))
                                return "sizeBytes: integer[] expected";
                    }
                    if (message.flags != null && $Object.hasOwnProperty.call(message, "flags")) {
                        if (!$Array.isArray(message.flags))
                            return "flags: array expected";
                        for (let i = 0; i < message.flags.length; ++i)
                            if (!$util.isInteger(message.flags[i]))
                                return "flags: integer[] expected";
                    }
                    if (message.transferIntervalNs != null && $Object.hasOwnProperty.call(message, "transferIntervalNs"))
                        if (!$util.isInteger(message.transferIntervalNs) && !(message.transferIntervalNs && $util.isInteger(message.transferIntervalNs.low) && $util.isInteger(message.transferIntervalNs.high)))
                            return "transferIntervalNs: integer|Long expected";
                    if (message.maxLatencyNs != null && $Object.hasOwnProperty.call(message, "maxLatencyNs"))
                        if (!$util.isInteger(message.maxLatencyNs) && !(message.maxLatencyNs && $util.isInteger(message.maxLatencyNs.low) && $util.isInteger(message.maxLatencyNs.high)))
                            return "maxLatencyNs: integer|Long expected";
                    if (message.survivalTimeNs != null && $Object.hasOwnProperty.call(message, "survivalTimeNs"))
                        if (!$util.isInteger(message.survivalTimeNs) && !(message.survivalTimeNs && $util.isInteger(message.survivalTimeNs.low) && $util.isInteger(message.survivalTimeNs.high)))
                            return "survivalTimeNs: integer|Long expected";
                    return null;
                };

                /**
                 * Creates a FlowSamples message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {isochron.telemetry.v1.FlowSamples} FlowSamples
                 */
                FlowSamples.fromObject = function (object, _depth) {
                    if (object instanceof $root.isochron.telemetry.v1.FlowSamples)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".isochron.telemetry.v1.FlowSamples: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.isochron.telemetry.v1.FlowSamples();
                    if (object.flowId != null)
                        if (typeof object.flowId !== "string" || object.flowId.length)
                            message.flowId = $String(object.flowId);
                    if (object.seqBits != null)
                        if ($Number(object.seqBits) !== 0)
                            message.seqBits = object.seqBits >>> 0;
                    if (object.baseSendNs != null)
                        if (typeof object.baseSendNs === "object" ? object.baseSendNs.low || object.baseSendNs.high : $Number(object.baseSendNs) !== 0)
                            if ($util.Long)
                                message.baseSendNs = $util.Long.fromValue(object.baseSendNs, true);
                            else if (typeof object.baseSendNs === "string")
                                message.baseSendNs = $parseInt(object.baseSendNs, 10);
                            else if (typeof object.baseSendNs === "number")
                                message.baseSendNs = object.baseSendNs;
                            else if (typeof object.baseSendNs === "object")
                                message.baseSendNs = new $util.LongBits(object.baseSendNs.low >>> 0, object.baseSendNs.high >>> 0).toNumber(true);
                    if (object.baseSeq != null)
                        if ($Number(object.baseSeq) !== 0)
                            message.baseSeq = object.baseSeq >>> 0;
                    if (object.seqDelta) {
                        if (!$Array.isArray(object.seqDelta))
                            throw $TypeError(".isochron.telemetry.v1.FlowSamples.seqDelta: array expected");
                        message.seqDelta = $Array(object.seqDelta.length);
                        for (let i = 0; i < object.seqDelta.length; ++i)
                            if ($util.Long)
                                message.seqDelta[i] = $util.Long.fromValue(object.seqDelta[i], false);
                            else if (typeof object.seqDelta[i] === "string")
                                message.seqDelta[i] = $parseInt(object.seqDelta[i], 10);
                            else if (typeof object.seqDelta[i] === "number")
                                message.seqDelta[i] = object.seqDelta[i];
                            else if (typeof object.seqDelta[i] === "object")
                                message.seqDelta[i] = new $util.LongBits(object.seqDelta[i].low >>> 0, object.seqDelta[i].high >>> 0).toNumber();
                    }
                    if (object.sendDeltaNs) {
                        if (!$Array.isArray(object.sendDeltaNs))
                            throw $TypeError(".isochron.telemetry.v1.FlowSamples.sendDeltaNs: array expected");
                        message.sendDeltaNs = $Array(object.sendDeltaNs.length);
                        for (let i = 0; i < object.sendDeltaNs.length; ++i)
                            if ($util.Long)
                                message.sendDeltaNs[i] = $util.Long.fromValue(object.sendDeltaNs[i], false);
                            else if (typeof object.sendDeltaNs[i] === "string")
                                message.sendDeltaNs[i] = $parseInt(object.sendDeltaNs[i], 10);
                            else if (typeof object.sendDeltaNs[i] === "number")
                                message.sendDeltaNs[i] = object.sendDeltaNs[i];
                            else if (typeof object.sendDeltaNs[i] === "object")
                                message.sendDeltaNs[i] = new $util.LongBits(object.sendDeltaNs[i].low >>> 0, object.sendDeltaNs[i].high >>> 0).toNumber();
                    }
                    if (object.delayNs) {
                        if (!$Array.isArray(object.delayNs))
                            throw $TypeError(".isochron.telemetry.v1.FlowSamples.delayNs: array expected");
                        message.delayNs = $Array(object.delayNs.length);
                        for (let i = 0; i < object.delayNs.length; ++i)
                            if ($util.Long)
                                message.delayNs[i] = $util.Long.fromValue(object.delayNs[i], false);
                            else if (typeof object.delayNs[i] === "string")
                                message.delayNs[i] = $parseInt(object.delayNs[i], 10);
                            else if (typeof object.delayNs[i] === "number")
                                message.delayNs[i] = object.delayNs[i];
                            else if (typeof object.delayNs[i] === "object")
                                message.delayNs[i] = new $util.LongBits(object.delayNs[i].low >>> 0, object.delayNs[i].high >>> 0).toNumber();
                    }
                    if (object.sizeBytes) {
                        if (!$Array.isArray(object.sizeBytes))
                            throw $TypeError(".isochron.telemetry.v1.FlowSamples.sizeBytes: array expected");
                        message.sizeBytes = $Array(object.sizeBytes.length);
                        for (let i = 0; i < object.sizeBytes.length; ++i)
                            message.sizeBytes[i] = object.sizeBytes[i] >>> 0;
                    }
                    if (object.flags) {
                        if (!$Array.isArray(object.flags))
                            throw $TypeError(".isochron.telemetry.v1.FlowSamples.flags: array expected");
                        message.flags = $Array(object.flags.length);
                        for (let i = 0; i < object.flags.length; ++i)
                            message.flags[i] = object.flags[i] >>> 0;
                    }
                    if (object.transferIntervalNs != null)
                        if (typeof object.transferIntervalNs === "object" ? object.transferIntervalNs.low || object.transferIntervalNs.high : $Number(object.transferIntervalNs) !== 0)
                            if ($util.Long)
                                message.transferIntervalNs = $util.Long.fromValue(object.transferIntervalNs, true);
                            else if (typeof object.transferIntervalNs === "string")
                                message.transferIntervalNs = $parseInt(object.transferIntervalNs, 10);
                            else if (typeof object.transferIntervalNs === "number")
                                message.transferIntervalNs = object.transferIntervalNs;
                            else if (typeof object.transferIntervalNs === "object")
                                message.transferIntervalNs = new $util.LongBits(object.transferIntervalNs.low >>> 0, object.transferIntervalNs.high >>> 0).toNumber(true);
                    if (object.maxLatencyNs != null)
                        if (typeof object.maxLatencyNs === "object" ? object.maxLatencyNs.low || object.maxLatencyNs.high : $Number(object.maxLatencyNs) !== 0)
                            if ($util.Long)
                                message.maxLatencyNs = $util.Long.fromValue(object.maxLatencyNs, true);
                            else if (typeof object.maxLatencyNs === "string")
                                message.maxLatencyNs = $parseInt(object.maxLatencyNs, 10);
                            else if (typeof object.maxLatencyNs === "number")
                                message.maxLatencyNs = object.maxLatencyNs;
                            else if (typeof object.maxLatencyNs === "object")
                                message.maxLatencyNs = new $util.LongBits(object.maxLatencyNs.low >>> 0, object.maxLatencyNs.high >>> 0).toNumber(true);
                    if (object.survivalTimeNs != null)
                        if (typeof object.survivalTimeNs === "object" ? object.survivalTimeNs.low || object.survivalTimeNs.high : $Number(object.survivalTimeNs) !== 0)
                            if ($util.Long)
                                message.survivalTimeNs = $util.Long.fromValue(object.survivalTimeNs, true);
                            else if (typeof object.survivalTimeNs === "string")
                                message.survivalTimeNs = $parseInt(object.survivalTimeNs, 10);
                            else if (typeof object.survivalTimeNs === "number")
                                message.survivalTimeNs = object.survivalTimeNs;
                            else if (typeof object.survivalTimeNs === "object")
                                message.survivalTimeNs = new $util.LongBits(object.survivalTimeNs.low >>> 0, object.survivalTimeNs.high >>> 0).toNumber(true);
                    return message;
                };

                /**
                 * Creates a plain object from a FlowSamples message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {isochron.telemetry.v1.FlowSamples} message FlowSamples
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                FlowSamples.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults) {
                        object.seqDelta = [];
                        object.sendDeltaNs = [];
                        object.delayNs = [];
                        object.sizeBytes = [];
                        object.flags = [];
                    }
                    if (options.defaults) {
                        object.flowId = "";
                        object.seqBits = 0;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.baseSendNs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.baseSendNs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                        object.baseSeq = 0;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.transferIntervalNs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.transferIntervalNs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.maxLatencyNs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.maxLatencyNs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.survivalTimeNs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.survivalTimeNs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.flowId != null && $Object.hasOwnProperty.call(message, "flowId"))
                        object.flowId = message.flowId;
                    if (message.seqBits != null && $Object.hasOwnProperty.call(message, "seqBits"))
                        object.seqBits = message.seqBits;
                    if (message.baseSendNs != null && $Object.hasOwnProperty.call(message, "baseSendNs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.baseSendNs = typeof message.baseSendNs === "number" ? $BigInt(message.baseSendNs) : $util.Long.fromBits(message.baseSendNs.low >>> 0, message.baseSendNs.high >>> 0, true).toBigInt();
                        else if (typeof message.baseSendNs === "number")
                            object.baseSendNs = options.longs === $String ? $String(message.baseSendNs) : message.baseSendNs;
                        else
                            object.baseSendNs = options.longs === $String ? $util.Long.prototype.toString.call(message.baseSendNs) : options.longs === $Number ? new $util.LongBits(message.baseSendNs.low >>> 0, message.baseSendNs.high >>> 0).toNumber(true) : message.baseSendNs;
                    if (message.baseSeq != null && $Object.hasOwnProperty.call(message, "baseSeq"))
                        object.baseSeq = message.baseSeq;
                    if (message.seqDelta && message.seqDelta.length) {
                        object.seqDelta = $Array(message.seqDelta.length);
                        for (let j = 0; j < message.seqDelta.length; ++j)
                            if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                                object.seqDelta[j] = typeof message.seqDelta[j] === "number" ? $BigInt(message.seqDelta[j]) : $util.Long.fromBits(message.seqDelta[j].low >>> 0, message.seqDelta[j].high >>> 0, false).toBigInt();
                            else if (typeof message.seqDelta[j] === "number")
                                object.seqDelta[j] = options.longs === $String ? $String(message.seqDelta[j]) : message.seqDelta[j];
                            else
                                object.seqDelta[j] = options.longs === $String ? $util.Long.prototype.toString.call(message.seqDelta[j]) : options.longs === $Number ? new $util.LongBits(message.seqDelta[j].low >>> 0, message.seqDelta[j].high >>> 0).toNumber() : message.seqDelta[j];
                    }
                    if (message.sendDeltaNs && message.sendDeltaNs.length) {
                        object.sendDeltaNs = $Array(message.sendDeltaNs.length);
                        for (let j = 0; j < message.sendDeltaNs.length; ++j)
                            if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                                object.sendDeltaNs[j] = typeof message.sendDeltaNs[j] === "number" ? $BigInt(message.sendDeltaNs[j]) : $util.Long.fromBits(message.sendDeltaNs[j].low >>> 0, message.sendDeltaNs[j].high >>> 0, false).toBigInt();
                            else if (typeof message.sendDeltaNs[j] === "number")
                                object.sendDeltaNs[j] = options.longs === $String ? $String(message.sendDeltaNs[j]) : message.sendDeltaNs[j];
                            else
                                object.sendDeltaNs[j] = options.longs === $String ? $util.Long.prototype.toString.call(message.sendDeltaNs[j]) : options.longs === $Number ? new $util.LongBits(message.sendDeltaNs[j].low >>> 0, message.sendDeltaNs[j].high >>> 0).toNumber() : message.sendDeltaNs[j];
                    }
                    if (message.delayNs && message.delayNs.length) {
                        object.delayNs = $Array(message.delayNs.length);
                        for (let j = 0; j < message.delayNs.length; ++j)
                            if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                                object.delayNs[j] = typeof message.delayNs[j] === "number" ? $BigInt(message.delayNs[j]) : $util.Long.fromBits(message.delayNs[j].low >>> 0, message.delayNs[j].high >>> 0, false).toBigInt();
                            else if (typeof message.delayNs[j] === "number")
                                object.delayNs[j] = options.longs === $String ? $String(message.delayNs[j]) : message.delayNs[j];
                            else
                                object.delayNs[j] = options.longs === $String ? $util.Long.prototype.toString.call(message.delayNs[j]) : options.longs === $Number ? new $util.LongBits(message.delayNs[j].low >>> 0, message.delayNs[j].high >>> 0).toNumber() : message.delayNs[j];
                    }
                    if (message.sizeBytes && message.sizeBytes.length) {
                        object.sizeBytes = $Array(message.sizeBytes.length);
                        for (let j = 0; j < message.sizeBytes.length; ++j)
                            object.sizeBytes[j] = message.sizeBytes[j];
                    }
                    if (message.flags && message.flags.length) {
                        object.flags = $Array(message.flags.length);
                        for (let j = 0; j < message.flags.length; ++j)
                            object.flags[j] = message.flags[j];
                    }
                    if (message.transferIntervalNs != null && $Object.hasOwnProperty.call(message, "transferIntervalNs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.transferIntervalNs = typeof message.transferIntervalNs === "number" ? $BigInt(message.transferIntervalNs) : $util.Long.fromBits(message.transferIntervalNs.low >>> 0, message.transferIntervalNs.high >>> 0, true).toBigInt();
                        else if (typeof message.transferIntervalNs === "number")
                            object.transferIntervalNs = options.longs === $String ? $String(message.transferIntervalNs) : message.transferIntervalNs;
                        else
                            object.transferIntervalNs = options.longs === $String ? $util.Long.prototype.toString.call(message.transferIntervalNs) : options.longs === $Number ? new $util.LongBits(message.transferIntervalNs.low >>> 0, message.transferIntervalNs.high >>> 0).toNumber(true) : message.transferIntervalNs;
                    if (message.maxLatencyNs != null && $Object.hasOwnProperty.call(message, "maxLatencyNs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.maxLatencyNs = typeof message.maxLatencyNs === "number" ? $BigInt(message.maxLatencyNs) : $util.Long.fromBits(message.maxLatencyNs.low >>> 0, message.maxLatencyNs.high >>> 0, true).toBigInt();
                        else if (typeof message.maxLatencyNs === "number")
                            object.maxLatencyNs = options.longs === $String ? $String(message.maxLatencyNs) : message.maxLatencyNs;
                        else
                            object.maxLatencyNs = options.longs === $String ? $util.Long.prototype.toString.call(message.maxLatencyNs) : options.longs === $Number ? new $util.LongBits(message.maxLatencyNs.low >>> 0, message.maxLatencyNs.high >>> 0).toNumber(true) : message.maxLatencyNs;
                    if (message.survivalTimeNs != null && $Object.hasOwnProperty.call(message, "survivalTimeNs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.survivalTimeNs = typeof message.survivalTimeNs === "number" ? $BigInt(message.survivalTimeNs) : $util.Long.fromBits(message.survivalTimeNs.low >>> 0, message.survivalTimeNs.high >>> 0, true).toBigInt();
                        else if (typeof message.survivalTimeNs === "number")
                            object.survivalTimeNs = options.longs === $String ? $String(message.survivalTimeNs) : message.survivalTimeNs;
                        else
                            object.survivalTimeNs = options.longs === $String ? $util.Long.prototype.toString.call(message.survivalTimeNs) : options.longs === $Number ? new $util.LongBits(message.survivalTimeNs.low >>> 0, message.survivalTimeNs.high >>> 0).toNumber(true) : message.survivalTimeNs;
                    return object;
                };

                /**
                 * Converts this FlowSamples to JSON.
                 * @function toJSON
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                FlowSamples.prototype.toJSON = function() {
                    return FlowSamples.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for FlowSamples
                 * @function getTypeUrl
                 * @memberof isochron.telemetry.v1.FlowSamples
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                FlowSamples.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/isochron.telemetry.v1.FlowSamples";
                };

                return FlowSamples;
            })();

            v1.TelemetryBatch = (function() {

                /**
                 * Properties of a TelemetryBatch.
                 * @typedef {Object} isochron.telemetry.v1.TelemetryBatch.$Properties
                 * @property {number|null} [schemaVersion] TelemetryBatch schemaVersion
                 * @property {isochron.telemetry.v1.Identity.$Properties|null} [identity] TelemetryBatch identity
                 * @property {Array.<isochron.telemetry.v1.FlowSamples.$Properties>|null} [flows] TelemetryBatch flows
                 * @property {number|Long|null} [createdNs] TelemetryBatch createdNs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a TelemetryBatch.
                 * @memberof isochron.telemetry.v1
                 * @interface ITelemetryBatch
                 * @augments isochron.telemetry.v1.TelemetryBatch.$Properties
                 * @deprecated Use isochron.telemetry.v1.TelemetryBatch.$Properties instead.
                 */

                /**
                 * Shape of a TelemetryBatch.
                 * @typedef {isochron.telemetry.v1.TelemetryBatch.$Properties} isochron.telemetry.v1.TelemetryBatch.$Shape
                 */

                /**
                 * Constructs a new TelemetryBatch.
                 * @memberof isochron.telemetry.v1
                 * @classdesc Represents a TelemetryBatch.
                 * @constructor
                 * @param {isochron.telemetry.v1.TelemetryBatch.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const TelemetryBatch = function (properties) {
                    this.flows = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * TelemetryBatch schemaVersion.
                 * @member {number} schemaVersion
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.schemaVersion = 0;

                /**
                 * TelemetryBatch identity.
                 * @member {isochron.telemetry.v1.Identity.$Properties|null|undefined} identity
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.identity = null;

                /**
                 * TelemetryBatch flows.
                 * @member {Array.<isochron.telemetry.v1.FlowSamples.$Properties>} flows
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.flows = $util.emptyArray;

                /**
                 * TelemetryBatch createdNs.
                 * @member {number|Long} createdNs
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @instance
                 */
                TelemetryBatch.prototype.createdNs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

                /**
                 * Creates a new TelemetryBatch instance using the specified properties.
                 * @function create
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {isochron.telemetry.v1.TelemetryBatch.$Properties=} [properties] Properties to set
                 * @returns {isochron.telemetry.v1.TelemetryBatch} TelemetryBatch instance
                 * @type {{
                 *   (properties: isochron.telemetry.v1.TelemetryBatch.$Shape): isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape;
                 *   (properties?: isochron.telemetry.v1.TelemetryBatch.$Properties): isochron.telemetry.v1.TelemetryBatch;
                 * }}
                 */
                TelemetryBatch.create = function(properties) {
                    return new TelemetryBatch(properties);
                };

                /**
                 * Encodes the specified TelemetryBatch message. Does not implicitly {@link isochron.telemetry.v1.TelemetryBatch.verify|verify} messages.
                 * @function encode
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {isochron.telemetry.v1.TelemetryBatch.$Properties} message TelemetryBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TelemetryBatch.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.schemaVersion != null && $Object.hasOwnProperty.call(message, "schemaVersion") && message.schemaVersion !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.schemaVersion);
                    if (message.identity != null && $Object.hasOwnProperty.call(message, "identity"))
                        $root.isochron.telemetry.v1.Identity.encode(message.identity, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.flows != null && message.flows.length)
                        for (let i = 0; i < message.flows.length; ++i)
                            $root.isochron.telemetry.v1.FlowSamples.encode(message.flows[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.createdNs != null && $Object.hasOwnProperty.call(message, "createdNs") && (typeof message.createdNs === "object" ? message.createdNs.low || message.createdNs.high : message.createdNs !== 0))
                        writer.uint32(/* id 4, wireType 1 =*/33).fixed64(message.createdNs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Encodes the specified TelemetryBatch message, length delimited. Does not implicitly {@link isochron.telemetry.v1.TelemetryBatch.verify|verify} messages.
                 * @function encodeDelimited
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {isochron.telemetry.v1.TelemetryBatch.$Properties} message TelemetryBatch message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                TelemetryBatch.encodeDelimited = function(message, writer) {
                    return this.encode(message, (writer || $Writer.create()).fork()).ldelim();
                };

                /**
                 * Decodes a TelemetryBatch message from the specified reader or buffer.
                 * @function decode
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape} TelemetryBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TelemetryBatch.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.isochron.telemetry.v1.TelemetryBatch();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.schemaVersion = value;
                                else
                                    delete message.schemaVersion;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.identity = $root.isochron.telemetry.v1.Identity.decode(reader, reader.size(), $undefined, _depth + 1, message.identity);
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.flows && message.flows.length))
                                    message.flows = [];
                                message.flows.push($root.isochron.telemetry.v1.FlowSamples.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        case 4: {
                                if (wireType !== 1)
                                    break;
                                if (typeof (value = reader.fixed64()) === "object" ? value.low || value.high : value !== 0)
                                    message.createdNs = value;
                                else
                                    delete message.createdNs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Decodes a TelemetryBatch message from the specified reader or buffer, length delimited.
                 * @function decodeDelimited
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @returns {isochron.telemetry.v1.TelemetryBatch & isochron.telemetry.v1.TelemetryBatch.$Shape} TelemetryBatch
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                TelemetryBatch.decodeDelimited = function(reader) {
                    if (!(reader instanceof $Reader))
                        reader = new $Reader(reader);
                    return this.decode(reader, reader.size());
                };

                /**
                 * Verifies a TelemetryBatch message.
                 * @function verify
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                TelemetryBatch.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.schemaVersion != null && $Object.hasOwnProperty.call(message, "schemaVersion"))
                        if (!$util.isInteger(message.schemaVersion))
                            return "schemaVersion: integer expected";
                    if (message.identity != null && $Object.hasOwnProperty.call(message, "identity")) {
                        let error = $root.isochron.telemetry.v1.Identity.verify(message.identity, _depth + 1);
                        if (error)
                            return "identity." + error;
                    }
                    if (message.flows != null && $Object.hasOwnProperty.call(message, "flows")) {
                        if (!$Array.isArray(message.flows))
                            return "flows: array expected";
                        for (let i = 0; i < message.flows.length; ++i) {
                            let error = $root.isochron.telemetry.v1.FlowSamples.verify(message.flows[i], _depth + 1);
                            if (error)
                                return "flows." + error;
                        }
                    }
                    if (message.createdNs != null && $Object.hasOwnProperty.call(message, "createdNs"))
                        if (!$util.isInteger(message.createdNs) && !(message.createdNs && $util.isInteger(message.createdNs.low) && $util.isInteger(message.createdNs.high)))
                            return "createdNs: integer|Long expected";
                    return null;
                };

                /**
                 * Creates a TelemetryBatch message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {isochron.telemetry.v1.TelemetryBatch} TelemetryBatch
                 */
                TelemetryBatch.fromObject = function (object, _depth) {
                    if (object instanceof $root.isochron.telemetry.v1.TelemetryBatch)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".isochron.telemetry.v1.TelemetryBatch: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.isochron.telemetry.v1.TelemetryBatch();
                    if (object.schemaVersion != null)
                        if ($Number(object.schemaVersion) !== 0)
                            message.schemaVersion = object.schemaVersion >>> 0;
                    if (object.identity != null) {
                        if (!$util.isObject(object.identity))
                            throw $TypeError(".isochron.telemetry.v1.TelemetryBatch.identity: object expected");
                        message.identity = $root.isochron.telemetry.v1.Identity.fromObject(object.identity, _depth + 1);
                    }
                    if (object.flows) {
                        if (!$Array.isArray(object.flows))
                            throw $TypeError(".isochron.telemetry.v1.TelemetryBatch.flows: array expected");
                        message.flows = $Array(object.flows.length);
                        for (let i = 0; i < object.flows.length; ++i) {
                            if (!$util.isObject(object.flows[i]))
                                throw $TypeError(".isochron.telemetry.v1.TelemetryBatch.flows: object expected");
                            message.flows[i] = $root.isochron.telemetry.v1.FlowSamples.fromObject(object.flows[i], _depth + 1);
                        }
                    }
                    if (object.createdNs != null)
                        if (typeof object.createdNs === "object" ? object.createdNs.low || object.createdNs.high : $Number(object.createdNs) !== 0)
                            if ($util.Long)
                                message.createdNs = $util.Long.fromValue(object.createdNs, true);
                            else if (typeof object.createdNs === "string")
                                message.createdNs = $parseInt(object.createdNs, 10);
                            else if (typeof object.createdNs === "number")
                                message.createdNs = object.createdNs;
                            else if (typeof object.createdNs === "object")
                                message.createdNs = new $util.LongBits(object.createdNs.low >>> 0, object.createdNs.high >>> 0).toNumber(true);
                    return message;
                };

                /**
                 * Creates a plain object from a TelemetryBatch message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {isochron.telemetry.v1.TelemetryBatch} message TelemetryBatch
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                TelemetryBatch.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.arrays || options.defaults)
                        object.flows = [];
                    if (options.defaults) {
                        object.schemaVersion = 0;
                        object.identity = null;
                        if ($util.Long) {
                            let long = new $util.Long(0, 0, true);
                            object.createdNs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                        } else
                            object.createdNs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    }
                    if (message.schemaVersion != null && $Object.hasOwnProperty.call(message, "schemaVersion"))
                        object.schemaVersion = message.schemaVersion;
                    if (message.identity != null && $Object.hasOwnProperty.call(message, "identity"))
                        object.identity = $root.isochron.telemetry.v1.Identity.toObject(message.identity, options, _depth + 1);
                    if (message.flows && message.flows.length) {
                        object.flows = $Array(message.flows.length);
                        for (let j = 0; j < message.flows.length; ++j)
                            object.flows[j] = $root.isochron.telemetry.v1.FlowSamples.toObject(message.flows[j], options, _depth + 1);
                    }
                    if (message.createdNs != null && $Object.hasOwnProperty.call(message, "createdNs"))
                        if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                            object.createdNs = typeof message.createdNs === "number" ? $BigInt(message.createdNs) : $util.Long.fromBits(message.createdNs.low >>> 0, message.createdNs.high >>> 0, true).toBigInt();
                        else if (typeof message.createdNs === "number")
                            object.createdNs = options.longs === $String ? $String(message.createdNs) : message.createdNs;
                        else
                            object.createdNs = options.longs === $String ? $util.Long.prototype.toString.call(message.createdNs) : options.longs === $Number ? new $util.LongBits(message.createdNs.low >>> 0, message.createdNs.high >>> 0).toNumber(true) : message.createdNs;
                    return object;
                };

                /**
                 * Converts this TelemetryBatch to JSON.
                 * @function toJSON
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                TelemetryBatch.prototype.toJSON = function() {
                    return TelemetryBatch.toObject(this, $protobuf.util.toJSONOptions);
                };

                /**
                 * Gets the type url for TelemetryBatch
                 * @function getTypeUrl
                 * @memberof isochron.telemetry.v1.TelemetryBatch
                 * @static
                 * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
                 * @returns {string} The type url
                 */
                TelemetryBatch.getTypeUrl = function(prefix) {
                    if (prefix === $undefined)
                        prefix = "type.googleapis.com";
                    return prefix + "/isochron.telemetry.v1.TelemetryBatch";
                };

                return TelemetryBatch;
            })();

            return v1;
        })();

        return telemetry;
    })();

    return isochron;
})();

export {
  $root as default
};
