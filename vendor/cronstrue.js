// npm:cronstrue@3.39.0, bundled as one ES module by scripts/vendor.ts (deno task vendor).
// Do not edit: change the version in deno.json, then run deno task vendor.
// deno-fmt-ignore-file
// deno-lint-ignore-file
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  1 ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// npm/cronstrue/3.39.0/dist/cronstrue.js
var require_cronstrue = __commonJS({
  "npm/cronstrue/3.39.0/dist/cronstrue.js"(exports, module) {
    (function webpackUniversalModuleDefinition(root, factory) {
      if (typeof exports === "object" && typeof module === "object") module.exports = factory();
      else if (typeof define === "function" && define.amd) define("cronstrue", [], factory);
      else if (typeof exports === "object") exports["cronstrue"] = factory();
      else root["cronstrue"] = factory();
    })(globalThis, () => {
      return (
        /******/
        (() => {
          "use strict";
          var __webpack_modules__ = {
            /***/
            6949(__unused_webpack_module, exports2, __webpack_require__2) {
              Object.defineProperty(exports2, "__esModule", {
                value: true
              });
              exports2.CronParser = void 0;
              var rangeValidator_1 = __webpack_require__2(9515);
              var CronParser = function() {
                function CronParser2(expression, dayOfWeekStartIndexZero, monthStartIndexZero) {
                  if (dayOfWeekStartIndexZero === void 0) {
                    dayOfWeekStartIndexZero = true;
                  }
                  if (monthStartIndexZero === void 0) {
                    monthStartIndexZero = false;
                  }
                  this.expression = expression;
                  this.dayOfWeekStartIndexZero = dayOfWeekStartIndexZero;
                  this.monthStartIndexZero = monthStartIndexZero;
                }
                CronParser2.prototype.parse = function() {
                  var _a;
                  var parsed;
                  var expression = (_a = this.expression) !== null && _a !== void 0 ? _a : "";
                  if (expression === "@reboot") {
                    parsed = [
                      "@reboot",
                      "",
                      "",
                      "",
                      "",
                      "",
                      ""
                    ];
                    return parsed;
                  } else if (expression.startsWith("@")) {
                    var special = this.parseSpecial(this.expression);
                    parsed = this.extractParts(special);
                  } else {
                    parsed = this.extractParts(this.expression);
                  }
                  this.normalize(parsed);
                  this.validate(parsed);
                  return parsed;
                };
                CronParser2.prototype.parseSpecial = function(expression) {
                  var specialExpressions = {
                    "@yearly": "0 0 1 JAN *",
                    "@annually": "0 0 1 JAN *",
                    "@monthly": "0 0 1 * *",
                    "@weekly": "0 0 * * SUN",
                    "@daily": "0 0 * * *",
                    "@midnight": "0 0 * * *",
                    "@hourly": "0 * * * *",
                    "@reboot": "@reboot"
                  };
                  var special = specialExpressions[expression];
                  if (!special) {
                    throw new Error("Unknown special expression.");
                  }
                  return special;
                };
                CronParser2.prototype.extractParts = function(expression) {
                  if (!this.expression) {
                    throw new Error("cron expression is empty");
                  }
                  var parsed = expression.trim().split(/[ ]+/);
                  for (var i = 0; i < parsed.length; i++) {
                    if (parsed[i].includes(",")) {
                      var arrayElement = parsed[i].split(",").map(function(item) {
                        return item.trim();
                      }).filter(function(item) {
                        return item !== "";
                      }).map(function(item) {
                        return !isNaN(Number(item)) ? Number(item) : item;
                      }).filter(function(item) {
                        return item !== null && item !== "";
                      });
                      if (arrayElement.length === 0) {
                        arrayElement.push("*");
                      }
                      arrayElement.sort(function(a, b) {
                        return a !== null && b !== null ? a - b : 0;
                      });
                      parsed[i] = arrayElement.map(function(item) {
                        return item !== null ? item.toString() : "";
                      }).join(",");
                    }
                  }
                  if (parsed.length < 5) {
                    throw new Error("Expression has only ".concat(parsed.length, " part").concat(parsed.length == 1 ? "" : "s", ". At least 5 parts are required."));
                  } else if (parsed.length == 5) {
                    parsed.unshift("");
                    parsed.push("");
                  } else if (parsed.length == 6) {
                    var isYearWithNoSecondsPart = /\d{4}$/.test(parsed[5]) || parsed[4] == "?" || parsed[2] == "?";
                    if (isYearWithNoSecondsPart) {
                      parsed.unshift("");
                    } else {
                      parsed.push("");
                    }
                  } else if (parsed.length > 7) {
                    throw new Error("Expression has ".concat(parsed.length, " parts; too many!"));
                  }
                  return parsed;
                };
                CronParser2.prototype.normalize = function(expressionParts) {
                  var _this = this;
                  expressionParts[3] = expressionParts[3].replace("?", "*");
                  expressionParts[5] = expressionParts[5].replace("?", "*");
                  expressionParts[2] = expressionParts[2].replace("?", "*");
                  if (expressionParts[0].indexOf("0/") == 0) {
                    expressionParts[0] = expressionParts[0].replace("0/", "*/");
                  }
                  if (expressionParts[1].indexOf("0/") == 0) {
                    expressionParts[1] = expressionParts[1].replace("0/", "*/");
                  }
                  if (expressionParts[2].indexOf("0/") == 0) {
                    expressionParts[2] = expressionParts[2].replace("0/", "*/");
                  }
                  if (expressionParts[3].indexOf("1/") == 0) {
                    expressionParts[3] = expressionParts[3].replace("1/", "*/");
                  }
                  if (!this.monthStartIndexZero && expressionParts[4].indexOf("1/") == 0) {
                    expressionParts[4] = expressionParts[4].replace("1/", "*/");
                  }
                  if (expressionParts[6].indexOf("1/") == 0) {
                    expressionParts[6] = expressionParts[6].replace("1/", "*/");
                  }
                  expressionParts[5] = expressionParts[5].replace(/(^\d+)|([^#/\s\d]\d+)/g, function(t) {
                    var dowDigits = t.replace(/\D/, "");
                    var dowDigitsAdjusted = dowDigits;
                    if (_this.dayOfWeekStartIndexZero) {
                      if (dowDigits == "7") {
                        dowDigitsAdjusted = "0";
                      }
                    } else {
                      dowDigitsAdjusted = (parseInt(dowDigits) - 1).toString();
                    }
                    return t.replace(dowDigits, dowDigitsAdjusted);
                  });
                  if (expressionParts[5] == "L") {
                    expressionParts[5] = "6";
                  }
                  if (expressionParts[3] == "?") {
                    expressionParts[3] = "*";
                  }
                  var weekdayOffsetRegex = /^\d{1,2}W[+-]\d{1,2}$/;
                  if (expressionParts[3].indexOf("W") > -1 && (expressionParts[3].indexOf(",") > -1 || /[-+]/.test(expressionParts[3])) && !weekdayOffsetRegex.test(expressionParts[3])) {
                    throw new Error("The 'W' character can be specified only when the day-of-month is a single day, not a range or list of days.");
                  }
                  var days = {
                    SUN: 0,
                    MON: 1,
                    TUE: 2,
                    WED: 3,
                    THU: 4,
                    FRI: 5,
                    SAT: 6
                  };
                  for (var day in days) {
                    expressionParts[5] = expressionParts[5].replace(new RegExp(day, "gi"), days[day].toString());
                  }
                  expressionParts[4] = expressionParts[4].replace(/(^\d{1,2})|([^#/\s\d]\d{1,2})/g, function(t) {
                    var dowDigits = t.replace(/\D/, "");
                    var dowDigitsAdjusted = dowDigits;
                    if (_this.monthStartIndexZero) {
                      dowDigitsAdjusted = (parseInt(dowDigits) + 1).toString();
                    }
                    return t.replace(dowDigits, dowDigitsAdjusted);
                  });
                  var months = {
                    JAN: 1,
                    FEB: 2,
                    MAR: 3,
                    APR: 4,
                    MAY: 5,
                    JUN: 6,
                    JUL: 7,
                    AUG: 8,
                    SEP: 9,
                    OCT: 10,
                    NOV: 11,
                    DEC: 12
                  };
                  for (var month in months) {
                    expressionParts[4] = expressionParts[4].replace(new RegExp(month, "gi"), months[month].toString());
                  }
                  if (expressionParts[0] == "0") {
                    expressionParts[0] = "";
                  }
                  if (!/\*|\-|\,|\//.test(expressionParts[2]) && (/\*|\//.test(expressionParts[1]) || /\*|\//.test(expressionParts[0]))) {
                    expressionParts[2] += "-".concat(expressionParts[2]);
                  }
                  for (var i = 0; i < expressionParts.length; i++) {
                    if (expressionParts[i].indexOf(",") != -1) {
                      expressionParts[i] = expressionParts[i].split(",").filter(function(str) {
                        return str !== "";
                      }).join(",") || "*";
                    }
                    if (expressionParts[i] == "*/1") {
                      expressionParts[i] = "*";
                    }
                    if (expressionParts[i].indexOf("/") > -1 && !/^\*|\-|\,/.test(expressionParts[i])) {
                      var stepRangeThrough = null;
                      switch (i) {
                        case 4:
                          stepRangeThrough = "12";
                          break;
                        case 5:
                          stepRangeThrough = "6";
                          break;
                        case 6:
                          stepRangeThrough = "9999";
                          break;
                        default:
                          stepRangeThrough = null;
                          break;
                      }
                      if (stepRangeThrough !== null) {
                        var parts = expressionParts[i].split("/");
                        expressionParts[i] = "".concat(parts[0], "-").concat(stepRangeThrough, "/").concat(parts[1]);
                      }
                    }
                  }
                };
                CronParser2.prototype.validate = function(parsed) {
                  var standardCronPartCharacters = "0-9,\\-*/";
                  this.validateOnlyExpectedCharactersFound(parsed[0], standardCronPartCharacters);
                  this.validateOnlyExpectedCharactersFound(parsed[1], standardCronPartCharacters);
                  this.validateOnlyExpectedCharactersFound(parsed[2], standardCronPartCharacters);
                  this.validateOnlyExpectedCharactersFound(parsed[3].replace(/^(\d{1,2}W)[+-]\d{1,2}$/, "$1"), "0-9,\\-*/LW");
                  this.validateOnlyExpectedCharactersFound(parsed[4], standardCronPartCharacters);
                  this.validateOnlyExpectedCharactersFound(parsed[5], "0-9,\\-*/L#");
                  this.validateOnlyExpectedCharactersFound(parsed[6], standardCronPartCharacters);
                  this.validateAnyRanges(parsed);
                };
                CronParser2.prototype.validateAnyRanges = function(parsed) {
                  parsed.forEach(function(part) {
                    return rangeValidator_1.default.stepRange(part);
                  });
                  rangeValidator_1.default.secondRange(parsed[0]);
                  rangeValidator_1.default.minuteRange(parsed[1]);
                  rangeValidator_1.default.hourRange(parsed[2]);
                  rangeValidator_1.default.dayOfMonthRange(parsed[3]);
                  rangeValidator_1.default.monthRange(parsed[4], this.monthStartIndexZero);
                  rangeValidator_1.default.dayOfWeekRange(parsed[5], this.dayOfWeekStartIndexZero);
                };
                CronParser2.prototype.validateOnlyExpectedCharactersFound = function(cronPart, allowedCharsExpression) {
                  var invalidChars = cronPart.match(new RegExp("[^".concat(allowedCharsExpression, "]+"), "gi"));
                  if (invalidChars && invalidChars.length) {
                    throw new Error("Expression contains invalid values: '".concat(invalidChars.toString(), "'"));
                  }
                };
                return CronParser2;
              }();
              exports2.CronParser = CronParser;
            },
            /***/
            8333(__unused_webpack_module, exports2, __webpack_require__2) {
              Object.defineProperty(exports2, "__esModule", {
                value: true
              });
              exports2.ExpressionDescriptor = void 0;
              var stringUtilities_1 = __webpack_require__2(1823);
              var cronParser_1 = __webpack_require__2(6949);
              var ExpressionDescriptor = function() {
                function ExpressionDescriptor2(expression, options) {
                  this.expression = expression;
                  this.options = options;
                  this.expressionParts = new Array(5);
                  if (!this.options.locale && ExpressionDescriptor2.defaultLocale) {
                    this.options.locale = ExpressionDescriptor2.defaultLocale;
                  }
                  if (!ExpressionDescriptor2.locales[this.options.locale]) {
                    var fallBackLocale = Object.keys(ExpressionDescriptor2.locales)[0];
                    console.warn("Locale '".concat(this.options.locale, "' could not be found; falling back to '").concat(fallBackLocale, "'."));
                    this.options.locale = fallBackLocale;
                  }
                  this.i18n = ExpressionDescriptor2.locales[this.options.locale];
                  if (options.use24HourTimeFormat === void 0) {
                    options.use24HourTimeFormat = this.i18n.use24HourTimeFormatByDefault();
                  }
                }
                ExpressionDescriptor2.toString = function(expression, _a) {
                  var _b = _a === void 0 ? {} : _a, _c = _b.throwExceptionOnParseError, throwExceptionOnParseError = _c === void 0 ? true : _c, _d = _b.verbose, verbose = _d === void 0 ? false : _d, _e = _b.dayOfWeekStartIndexZero, dayOfWeekStartIndexZero = _e === void 0 ? true : _e, _f = _b.monthStartIndexZero, monthStartIndexZero = _f === void 0 ? false : _f, use24HourTimeFormat = _b.use24HourTimeFormat, _g = _b.trimHoursLeadingZero, trimHoursLeadingZero = _g === void 0 ? false : _g, _h = _b.locale, locale = _h === void 0 ? null : _h, _j = _b.logicalAndDayFields, logicalAndDayFields = _j === void 0 ? false : _j;
                  var options = {
                    throwExceptionOnParseError,
                    verbose,
                    dayOfWeekStartIndexZero,
                    monthStartIndexZero,
                    use24HourTimeFormat,
                    trimHoursLeadingZero,
                    locale,
                    logicalAndDayFields
                  };
                  if (options.tzOffset) {
                    console.warn("'tzOffset' option has been deprecated and is no longer supported.");
                  }
                  var descripter = new ExpressionDescriptor2(expression, options);
                  return descripter.getFullDescription();
                };
                ExpressionDescriptor2.initialize = function(localesLoader, defaultLocale) {
                  if (defaultLocale === void 0) {
                    defaultLocale = "en";
                  }
                  ExpressionDescriptor2.specialCharacters = [
                    "/",
                    "-",
                    ",",
                    "*"
                  ];
                  ExpressionDescriptor2.defaultLocale = defaultLocale;
                  localesLoader.load(ExpressionDescriptor2.locales);
                };
                ExpressionDescriptor2.prototype.getFullDescription = function() {
                  var _a, _b;
                  var description = "";
                  try {
                    var parser = new cronParser_1.CronParser(this.expression, this.options.dayOfWeekStartIndexZero, this.options.monthStartIndexZero);
                    this.expressionParts = parser.parse();
                    if (this.expressionParts[0] === "@reboot") {
                      return ((_b = (_a = this.i18n).atReboot) === null || _b === void 0 ? void 0 : _b.call(_a)) || "Run once, at startup";
                    }
                    var timeSegment = this.getTimeOfDayDescription();
                    var dayOfMonthDesc = this.getDayOfMonthDescription();
                    var monthDesc = this.getMonthDescription();
                    var dayOfWeekDesc = this.getDayOfWeekDescription();
                    var yearDesc = this.getYearDescription();
                    description += timeSegment + dayOfMonthDesc + dayOfWeekDesc + monthDesc + yearDesc;
                    description = this.transformVerbosity(description, !!this.options.verbose);
                    description = description.charAt(0).toLocaleUpperCase() + description.substr(1);
                  } catch (ex) {
                    if (!this.options.throwExceptionOnParseError) {
                      description = this.i18n.anErrorOccuredWhenGeneratingTheExpressionD();
                    } else {
                      throw "".concat(ex);
                    }
                  }
                  return description;
                };
                ExpressionDescriptor2.prototype.getTimeOfDayDescription = function() {
                  var secondsExpression = this.expressionParts[0];
                  var minuteExpression = this.expressionParts[1];
                  var hourExpression = this.expressionParts[2];
                  var description = "";
                  if (!stringUtilities_1.StringUtilities.containsAny(minuteExpression, ExpressionDescriptor2.specialCharacters) && !stringUtilities_1.StringUtilities.containsAny(hourExpression, ExpressionDescriptor2.specialCharacters) && !stringUtilities_1.StringUtilities.containsAny(secondsExpression, ExpressionDescriptor2.specialCharacters)) {
                    description += this.i18n.atSpace() + this.formatTime(hourExpression, minuteExpression, secondsExpression);
                  } else if (!secondsExpression && minuteExpression.indexOf("-") > -1 && !(minuteExpression.indexOf(",") > -1) && !(minuteExpression.indexOf("/") > -1) && !stringUtilities_1.StringUtilities.containsAny(hourExpression, ExpressionDescriptor2.specialCharacters)) {
                    var minuteParts = minuteExpression.split("-");
                    description += stringUtilities_1.StringUtilities.format(this.i18n.everyMinuteBetweenX0AndX1(), this.formatTime(hourExpression, minuteParts[0], ""), this.formatTime(hourExpression, minuteParts[1], ""));
                  } else if (!secondsExpression && hourExpression.indexOf(",") > -1 && hourExpression.indexOf("-") == -1 && hourExpression.indexOf("/") == -1 && !stringUtilities_1.StringUtilities.containsAny(minuteExpression, ExpressionDescriptor2.specialCharacters)) {
                    var hourParts = hourExpression.split(",");
                    description += this.i18n.at();
                    for (var i = 0; i < hourParts.length; i++) {
                      if (description) {
                        description += " ";
                      }
                      description += this.formatTime(hourParts[i], minuteExpression, "");
                      if (i < hourParts.length - 2) {
                        description += ",";
                      }
                      if (i == hourParts.length - 2) {
                        description += this.i18n.spaceAnd();
                      }
                    }
                  } else {
                    var secondsDescription = this.getSecondsDescription();
                    var minutesDescription = this.getMinutesDescription();
                    var hoursDescription = this.getHoursDescription();
                    description += secondsDescription;
                    if (description && minutesDescription) {
                      description += ", ";
                    }
                    description += minutesDescription;
                    if (minutesDescription === hoursDescription) {
                      return description;
                    }
                    if (description && hoursDescription) {
                      description += ", ";
                    }
                    description += hoursDescription;
                  }
                  return description;
                };
                ExpressionDescriptor2.prototype.getSecondsDescription = function() {
                  var _this = this;
                  var description = this.getSegmentDescription(this.expressionParts[0], this.i18n.everySecond(), function(s) {
                    return s;
                  }, function(s) {
                    return stringUtilities_1.StringUtilities.format(_this.i18n.everyX0Seconds(s), s);
                  }, function(s) {
                    return _this.i18n.secondsX0ThroughX1PastTheMinute();
                  }, function(s) {
                    return s == "0" ? "" : parseInt(s) < 20 ? _this.i18n.atX0SecondsPastTheMinute(s) : _this.i18n.atX0SecondsPastTheMinuteGt20() || _this.i18n.atX0SecondsPastTheMinute(s);
                  }, {
                    min: 0,
                    max: 59
                  });
                  return description;
                };
                ExpressionDescriptor2.prototype.getMinutesDescription = function() {
                  var _this = this;
                  var secondsExpression = this.expressionParts[0];
                  var hourExpression = this.expressionParts[2];
                  var description = this.getSegmentDescription(this.expressionParts[1], this.i18n.everyMinute(), function(s) {
                    return s;
                  }, function(s) {
                    return stringUtilities_1.StringUtilities.format(_this.i18n.everyX0Minutes(s), s);
                  }, function(s) {
                    return _this.i18n.minutesX0ThroughX1PastTheHour();
                  }, function(s) {
                    var _a, _b;
                    try {
                      return s == "0" && hourExpression.indexOf("/") == -1 && secondsExpression == "" ? _this.i18n.everyHour() : s == "0" ? ((_b = (_a = _this.i18n).onTheHour) === null || _b === void 0 ? void 0 : _b.call(_a)) || _this.i18n.atX0MinutesPastTheHour(s) : parseInt(s) < 20 ? _this.i18n.atX0MinutesPastTheHour(s) : _this.i18n.atX0MinutesPastTheHourGt20() || _this.i18n.atX0MinutesPastTheHour(s);
                    } catch (e) {
                      return _this.i18n.atX0MinutesPastTheHour(s);
                    }
                  }, {
                    min: 0,
                    max: 59
                  });
                  return description;
                };
                ExpressionDescriptor2.prototype.getHoursDescription = function() {
                  var _this = this;
                  var expression = this.expressionParts[2];
                  var hourIndex = 0;
                  var rangeEndValues = [];
                  expression.split("/")[0].split(",").forEach(function(range) {
                    var rangeParts = range.split("-");
                    if (rangeParts.length === 2) {
                      rangeEndValues.push({
                        value: rangeParts[1],
                        index: hourIndex + 1
                      });
                    }
                    hourIndex += rangeParts.length;
                  });
                  var evaluationIndex = 0;
                  var description = this.getSegmentDescription(expression, this.i18n.everyHour(), function(s) {
                    var match = rangeEndValues.find(function(r) {
                      return r.value === s && r.index === evaluationIndex;
                    });
                    var isRangeEndWithNonZeroMinute = match && _this.expressionParts[1] !== "0";
                    evaluationIndex++;
                    return isRangeEndWithNonZeroMinute ? _this.formatTime(s, "59", "") : _this.formatTime(s, "0", "");
                  }, function(s) {
                    return stringUtilities_1.StringUtilities.format(_this.i18n.everyX0Hours(s), s);
                  }, function(s) {
                    return _this.i18n.betweenX0AndX1();
                  }, function(s) {
                    return _this.i18n.atX0();
                  }, {
                    min: 0,
                    max: 23
                  });
                  return description;
                };
                ExpressionDescriptor2.prototype.getDayOfWeekDescription = function(dayOfWeekExpression) {
                  var _this = this;
                  var _a, _b;
                  if (dayOfWeekExpression === void 0) {
                    dayOfWeekExpression = this.expressionParts[5];
                  }
                  var daysOfWeekNames = this.i18n.daysOfTheWeek();
                  var description = null;
                  if (dayOfWeekExpression == "*") {
                    description = "";
                  } else {
                    var dayOfWeekItems = dayOfWeekExpression.split(",");
                    var lastItems = dayOfWeekItems.filter(function(s) {
                      return s.indexOf("L") > -1;
                    });
                    var otherItems = dayOfWeekItems.filter(function(s) {
                      return s.indexOf("L") === -1;
                    });
                    if (lastItems.length > 0 && otherItems.length > 0) {
                      var lastDescription = (_a = this.getDayOfWeekDescription(lastItems.join(","))) !== null && _a !== void 0 ? _a : "";
                      return ((_b = this.getDayOfWeekDescription(otherItems.join(","))) !== null && _b !== void 0 ? _b : "") + "".concat(this.i18n.spaceAnd(), " ") + (lastDescription.startsWith(", ") ? lastDescription.substring(2) : lastDescription);
                    }
                    description = this.getSegmentDescription(dayOfWeekExpression, this.i18n.commaEveryDay(), function(s, form) {
                      var exp = s;
                      if (s.indexOf("#") > -1) {
                        exp = s.substring(0, s.indexOf("#"));
                      } else if (s.indexOf("L") > -1) {
                        exp = exp.replace("L", "");
                      }
                      var parsedExp = parseInt(exp);
                      var description2 = _this.i18n.daysOfTheWeekInCase ? _this.i18n.daysOfTheWeekInCase(form)[parsedExp] : daysOfWeekNames[parsedExp];
                      if (s.indexOf("#") > -1) {
                        var dayOfWeekOfMonthDescription = null;
                        var dayOfWeekOfMonthNumber = s.substring(s.indexOf("#") + 1);
                        var dayOfWeekNumber = s.substring(0, s.indexOf("#"));
                        switch (dayOfWeekOfMonthNumber) {
                          case "1":
                            dayOfWeekOfMonthDescription = _this.i18n.first(dayOfWeekNumber);
                            break;
                          case "2":
                            dayOfWeekOfMonthDescription = _this.i18n.second(dayOfWeekNumber);
                            break;
                          case "3":
                            dayOfWeekOfMonthDescription = _this.i18n.third(dayOfWeekNumber);
                            break;
                          case "4":
                            dayOfWeekOfMonthDescription = _this.i18n.fourth(dayOfWeekNumber);
                            break;
                          case "5":
                            dayOfWeekOfMonthDescription = _this.i18n.fifth(dayOfWeekNumber);
                            break;
                        }
                        description2 = dayOfWeekOfMonthDescription + " " + description2;
                      }
                      return description2;
                    }, function(s) {
                      if (parseInt(s) == 1) {
                        return "";
                      } else {
                        return stringUtilities_1.StringUtilities.format(_this.i18n.commaEveryX0DaysOfTheWeek(s), s);
                      }
                    }, function(s) {
                      var beginFrom = s.substring(0, s.indexOf("-"));
                      var domSpecified = _this.expressionParts[3] != "*";
                      return domSpecified ? _this.i18n.commaAndX0ThroughX1(beginFrom) : _this.i18n.commaX0ThroughX1(beginFrom);
                    }, function(s) {
                      var format = null;
                      if (s.indexOf("#") > -1) {
                        var dayOfWeekOfMonthNumber = s.substring(s.indexOf("#") + 1);
                        var dayOfWeek = s.substring(0, s.indexOf("#"));
                        format = _this.i18n.commaOnThe(dayOfWeekOfMonthNumber, dayOfWeek).trim() + _this.i18n.spaceX0OfTheMonth();
                      } else if (s.indexOf("L") > -1) {
                        format = _this.i18n.commaOnTheLastX0OfTheMonth(s.replace("L", ""));
                      } else {
                        var domSpecified = _this.expressionParts[3] != "*";
                        if (!domSpecified) {
                          format = _this.i18n.commaOnlyOnX0(s);
                        } else if (_this.options.logicalAndDayFields) {
                          format = _this.i18n.commaOnlyOnX0(s);
                        } else {
                          format = _this.i18n.commaAndOnX0();
                        }
                      }
                      return format;
                    });
                  }
                  return description;
                };
                ExpressionDescriptor2.prototype.getMonthDescription = function() {
                  var _this = this;
                  var monthNames = this.i18n.monthsOfTheYear();
                  var description = this.getSegmentDescription(this.expressionParts[4], "", function(s, form) {
                    return form && _this.i18n.monthsOfTheYearInCase ? _this.i18n.monthsOfTheYearInCase(form)[parseInt(s) - 1] : monthNames[parseInt(s) - 1];
                  }, function(s) {
                    if (parseInt(s) == 1) {
                      return "";
                    } else {
                      return stringUtilities_1.StringUtilities.format(_this.i18n.commaEveryX0Months(s), s);
                    }
                  }, function(s) {
                    return _this.i18n.commaMonthX0ThroughMonthX1() || _this.i18n.commaX0ThroughX1();
                  }, function(s) {
                    return _this.i18n.commaOnlyInMonthX0 ? _this.i18n.commaOnlyInMonthX0() : _this.i18n.commaOnlyInX0();
                  });
                  return description;
                };
                ExpressionDescriptor2.prototype.getDayOfMonthDescription = function() {
                  var _this = this;
                  var _a, _b, _c, _d;
                  var description = null;
                  var expression = this.expressionParts[3];
                  switch (expression) {
                    case "L":
                      description = this.i18n.commaOnTheLastDayOfTheMonth();
                      break;
                    case "WL":
                    case "LW":
                      description = this.i18n.commaOnTheLastWeekdayOfTheMonth();
                      break;
                    default:
                      var weekDayNumberMatches = expression.match(/^(?:(\d{1,2})W|W(\d{1,2}))(?:([+-])(\d{1,2}))?$/);
                      if (weekDayNumberMatches) {
                        var dayNumber = parseInt(weekDayNumberMatches[1] || weekDayNumberMatches[2]);
                        var dayString = dayNumber == 1 ? this.i18n.firstWeekday() : stringUtilities_1.StringUtilities.format(this.i18n.weekdayNearestDayX0(), dayNumber.toString());
                        var offsetDays = weekDayNumberMatches[4];
                        if (!offsetDays) {
                          description = stringUtilities_1.StringUtilities.format(this.i18n.commaOnTheX0OfTheMonth(), dayString);
                        } else if (weekDayNumberMatches[3] == "-") {
                          description = stringUtilities_1.StringUtilities.format(((_b = (_a = this.i18n).commaDaysBeforeTheX0OfTheMonth) === null || _b === void 0 ? void 0 : _b.call(_a, offsetDays)) || ", %s days before the %s of the month", offsetDays, dayString);
                        } else {
                          description = stringUtilities_1.StringUtilities.format(((_d = (_c = this.i18n).commaDaysAfterTheX0OfTheMonth) === null || _d === void 0 ? void 0 : _d.call(_c, offsetDays)) || ", %s days after the %s of the month", offsetDays, dayString);
                        }
                        break;
                      } else {
                        var lastDayOffSetMatches = expression.match(/L-(\d{1,2})/);
                        if (lastDayOffSetMatches) {
                          var offSetDays = lastDayOffSetMatches[1];
                          description = stringUtilities_1.StringUtilities.format(this.i18n.commaDaysBeforeTheLastDayOfTheMonth(offSetDays), offSetDays);
                          break;
                        } else if (expression == "*" && this.expressionParts[5] != "*") {
                          return "";
                        } else {
                          description = this.getSegmentDescription(expression, this.i18n.commaEveryDay(), function(s) {
                            return s == "L" ? _this.i18n.lastDay() : _this.i18n.dayX0 ? stringUtilities_1.StringUtilities.format(_this.i18n.dayX0(), s) : s;
                          }, function(s) {
                            return s == "1" ? _this.i18n.commaEveryDay() : _this.i18n.commaEveryX0Days(s);
                          }, function(s) {
                            return _this.i18n.commaBetweenDayX0AndX1OfTheMonth(s);
                          }, function(s) {
                            return _this.i18n.commaOnDayX0OfTheMonth(s);
                          });
                        }
                        break;
                      }
                  }
                  return description;
                };
                ExpressionDescriptor2.prototype.getYearDescription = function() {
                  var _this = this;
                  var description = this.getSegmentDescription(this.expressionParts[6], "", function(s) {
                    return /^\d+$/.test(s) ? new Date(parseInt(s), 1).getFullYear().toString() : s;
                  }, function(s) {
                    return stringUtilities_1.StringUtilities.format(_this.i18n.commaEveryX0Years(s), s);
                  }, function(s) {
                    return _this.i18n.commaYearX0ThroughYearX1() || _this.i18n.commaX0ThroughX1();
                  }, function(s) {
                    return _this.i18n.commaOnlyInYearX0 ? _this.i18n.commaOnlyInYearX0() : _this.i18n.commaOnlyInX0();
                  });
                  return description;
                };
                ExpressionDescriptor2.prototype.getSegmentDescription = function(expression, allDescription, getSingleItemDescription, getIncrementDescriptionFormat, getRangeDescriptionFormat, getDescriptionFormat, range) {
                  var description = null;
                  var doesExpressionContainIncrement = expression.indexOf("/") > -1;
                  var doesExpressionContainRange = expression.indexOf("-") > -1;
                  var doesExpressionContainMultipleValues = expression.indexOf(",") > -1;
                  if (!expression) {
                    description = "";
                  } else if (expression === "*") {
                    description = allDescription;
                  } else if (!doesExpressionContainIncrement && !doesExpressionContainRange && !doesExpressionContainMultipleValues) {
                    description = stringUtilities_1.StringUtilities.format(getDescriptionFormat(expression), getSingleItemDescription(expression));
                  } else if (doesExpressionContainMultipleValues) {
                    var segments = expression.split(",");
                    var descriptionContent = "";
                    var conjunction = this.i18n.spaceAnd();
                    for (var i = 0; i < segments.length; i++) {
                      if (i > 0 && segments.length > 2) {
                        descriptionContent += ",";
                        if (i < segments.length - 1) {
                          descriptionContent += " ";
                        }
                      }
                      if (i > 0 && segments.length > 1 && (i == segments.length - 1 || segments.length == 2)) {
                        descriptionContent += conjunction == "," && segments.length > 2 ? " " : "".concat(conjunction, " ");
                      }
                      if (segments[i].indexOf("/") > -1 || segments[i].indexOf("-") > -1) {
                        var isSegmentRangeWithoutIncrement = segments[i].indexOf("-") > -1 && segments[i].indexOf("/") == -1;
                        var currentDescriptionContent = this.getSegmentDescription(segments[i], allDescription, getSingleItemDescription, getIncrementDescriptionFormat, isSegmentRangeWithoutIncrement ? this.i18n.commaX0ThroughX1 : getRangeDescriptionFormat, getDescriptionFormat);
                        if (isSegmentRangeWithoutIncrement) {
                          currentDescriptionContent = currentDescriptionContent.replace(", ", "");
                        } else if (i > 0 && currentDescriptionContent.startsWith(", ")) {
                          currentDescriptionContent = currentDescriptionContent.substring(2);
                        }
                        descriptionContent += currentDescriptionContent;
                      } else if (!doesExpressionContainIncrement) {
                        descriptionContent += getSingleItemDescription(segments[i]);
                      } else {
                        var segmentDescription = this.getSegmentDescription(segments[i], allDescription, getSingleItemDescription, getIncrementDescriptionFormat, getRangeDescriptionFormat, getDescriptionFormat);
                        if (i > 0 && segmentDescription && segmentDescription.startsWith(", ")) {
                          segmentDescription = segmentDescription.substring(2);
                        }
                        descriptionContent += segmentDescription;
                      }
                    }
                    if (!doesExpressionContainIncrement) {
                      description = stringUtilities_1.StringUtilities.format(getDescriptionFormat(expression), descriptionContent);
                    } else {
                      description = descriptionContent;
                    }
                  } else if (doesExpressionContainIncrement) {
                    var segments = expression.split("/");
                    description = stringUtilities_1.StringUtilities.format(getIncrementDescriptionFormat(segments[1]), segments[1]);
                    if (segments[0].indexOf("-") > -1) {
                      var rangeSegmentDescription = this.generateRangeSegmentDescription(segments[0], getRangeDescriptionFormat, getSingleItemDescription);
                      if (rangeSegmentDescription.indexOf(", ") != 0) {
                        description += ", ";
                      }
                      description += rangeSegmentDescription;
                    } else if (segments[0].indexOf("*") == -1) {
                      var rangeItemDescription = stringUtilities_1.StringUtilities.format(getDescriptionFormat(segments[0]), getSingleItemDescription(segments[0]));
                      rangeItemDescription = rangeItemDescription.replace(", ", "");
                      description += stringUtilities_1.StringUtilities.format(this.i18n.commaStartingX0(), rangeItemDescription);
                    }
                    description += this.getWrappingIncrementDescription(expression, range, allDescription, getSingleItemDescription, getIncrementDescriptionFormat, getRangeDescriptionFormat, getDescriptionFormat);
                  } else if (doesExpressionContainRange) {
                    description = this.generateRangeSegmentDescription(expression, getRangeDescriptionFormat, getSingleItemDescription);
                  }
                  return description;
                };
                ExpressionDescriptor2.prototype.getWrappingIncrementDescription = function(expression, range, allDescription, getSingleItemDescription, getIncrementDescriptionFormat, getRangeDescriptionFormat, getDescriptionFormat) {
                  if (!this.options.verbose || !range) {
                    return "";
                  }
                  var _a = expression.split("/"), start = _a[0], stepValue = _a[1];
                  var step = parseInt(stepValue);
                  var length = range.max - range.min + 1;
                  var coversWholeField = start === "*";
                  var isUsableStep = Number.isInteger(step) && step > 1;
                  var dividesEvenly = isUsableStep && length % step === 0;
                  if (!coversWholeField || !isUsableStep || dividesEvenly) {
                    return "";
                  }
                  var values = [];
                  for (var value = range.min; value <= range.max; value += step) {
                    values.push(value);
                  }
                  if (values.length < 2) {
                    return "";
                  }
                  var valuesDescription = this.getSegmentDescription(values.join(","), allDescription, getSingleItemDescription, getIncrementDescriptionFormat, getRangeDescriptionFormat, getDescriptionFormat);
                  return valuesDescription ? ", ".concat(valuesDescription) : "";
                };
                ExpressionDescriptor2.prototype.generateRangeSegmentDescription = function(rangeExpression, getRangeDescriptionFormat, getSingleItemDescription) {
                  var description = "";
                  var rangeSegments = rangeExpression.split("-");
                  var rangeSegment1Description = getSingleItemDescription(rangeSegments[0], 1);
                  var rangeSegment2Description = getSingleItemDescription(rangeSegments[1], 2);
                  var rangeDescriptionFormat = getRangeDescriptionFormat(rangeExpression);
                  description += stringUtilities_1.StringUtilities.format(rangeDescriptionFormat, rangeSegment1Description, rangeSegment2Description);
                  return description;
                };
                ExpressionDescriptor2.prototype.formatTime = function(hourExpression, minuteExpression, secondExpression) {
                  var hourOffset = 0;
                  var minuteOffset = 0;
                  var hour = parseInt(hourExpression) + hourOffset;
                  var minute = parseInt(minuteExpression) + minuteOffset;
                  if (minute >= 60) {
                    minute -= 60;
                    hour += 1;
                  } else if (minute < 0) {
                    minute += 60;
                    hour -= 1;
                  }
                  if (hour >= 24) {
                    hour = hour - 24;
                  } else if (hour < 0) {
                    hour = 24 + hour;
                  }
                  var period = "";
                  var setPeriodBeforeTime = false;
                  if (!this.options.use24HourTimeFormat) {
                    setPeriodBeforeTime = !!(this.i18n.setPeriodBeforeTime && this.i18n.setPeriodBeforeTime());
                    period = setPeriodBeforeTime ? "".concat(this.getPeriod(hour), " ") : " ".concat(this.getPeriod(hour));
                    if (hour > 12) {
                      hour -= 12;
                    }
                    if (hour === 0) {
                      hour = 12;
                    }
                  }
                  var second = "";
                  if (secondExpression) {
                    second = ":".concat(("00" + secondExpression).substring(secondExpression.length));
                  }
                  var hourStr = hour.toString();
                  var paddedHour = ("00" + hourStr).substring(hourStr.length);
                  var minuteStr = minute.toString();
                  var paddedMinute = ("00" + minuteStr).substring(minuteStr.length);
                  var displayHour = this.options.trimHoursLeadingZero ? hourStr : paddedHour;
                  return "".concat(setPeriodBeforeTime ? period : "").concat(displayHour, ":").concat(paddedMinute).concat(second).concat(!setPeriodBeforeTime ? period : "");
                };
                ExpressionDescriptor2.prototype.transformVerbosity = function(description, useVerboseFormat) {
                  if (!useVerboseFormat) {
                    description = description.replace(new RegExp(", ".concat(this.i18n.everyMinute(), "(?!\\s*[\\p{L}\\p{N}])"), "gu"), "");
                    description = description.replace(new RegExp(", ".concat(this.i18n.everyHour(), "(?!\\s*[\\p{L}\\p{N}])"), "gu"), "");
                    description = description.replace(new RegExp("".concat(this.i18n.commaEveryDay(), "(?!\\s*[\\p{L}\\p{N}])"), "gu"), "");
                    description = description.replace(/\, ?$/, "");
                    if (this.i18n.conciseVerbosityReplacements) {
                      for (var _i = 0, _a = Object.entries(this.i18n.conciseVerbosityReplacements()); _i < _a.length; _i++) {
                        var _b = _a[_i], key = _b[0], value = _b[1];
                        description = description.replace(new RegExp(key, "g"), value);
                      }
                    }
                  }
                  return description;
                };
                ExpressionDescriptor2.prototype.getPeriod = function(hour) {
                  return hour >= 12 ? this.i18n.pm && this.i18n.pm() || "PM" : this.i18n.am && this.i18n.am() || "AM";
                };
                ExpressionDescriptor2.locales = {};
                return ExpressionDescriptor2;
              }();
              exports2.ExpressionDescriptor = ExpressionDescriptor;
            },
            /***/
            3747(__unused_webpack_module, exports2, __webpack_require__2) {
              Object.defineProperty(exports2, "__esModule", {
                value: true
              });
              exports2.enLocaleLoader = void 0;
              var en_1 = __webpack_require__2(9486);
              var enLocaleLoader = function() {
                function enLocaleLoader2() {
                }
                enLocaleLoader2.prototype.load = function(availableLocales) {
                  availableLocales["en"] = new en_1.en();
                };
                return enLocaleLoader2;
              }();
              exports2.enLocaleLoader = enLocaleLoader;
            },
            /***/
            9486(__unused_webpack_module, exports2) {
              Object.defineProperty(exports2, "__esModule", {
                value: true
              });
              exports2.en = void 0;
              var isOne = function(s) {
                return Number(s) === 1;
              };
              var en = function() {
                function en2() {
                }
                en2.prototype.atX0SecondsPastTheMinuteGt20 = function() {
                  return null;
                };
                en2.prototype.atX0MinutesPastTheHourGt20 = function() {
                  return null;
                };
                en2.prototype.commaMonthX0ThroughMonthX1 = function() {
                  return null;
                };
                en2.prototype.commaYearX0ThroughYearX1 = function() {
                  return null;
                };
                en2.prototype.use24HourTimeFormatByDefault = function() {
                  return false;
                };
                en2.prototype.anErrorOccuredWhenGeneratingTheExpressionD = function() {
                  return "An error occurred when generating the expression description. Check the cron expression syntax.";
                };
                en2.prototype.everyMinute = function() {
                  return "every minute";
                };
                en2.prototype.everyHour = function() {
                  return "every hour";
                };
                en2.prototype.atSpace = function() {
                  return "At ";
                };
                en2.prototype.everyMinuteBetweenX0AndX1 = function() {
                  return "Every minute between %s and %s";
                };
                en2.prototype.at = function() {
                  return "At";
                };
                en2.prototype.spaceAnd = function() {
                  return " and";
                };
                en2.prototype.everySecond = function() {
                  return "every second";
                };
                en2.prototype.everyX0Seconds = function(s) {
                  return isOne(s) ? "every %s second" : "every %s seconds";
                };
                en2.prototype.secondsX0ThroughX1PastTheMinute = function() {
                  return "seconds %s through %s past the minute";
                };
                en2.prototype.atX0SecondsPastTheMinute = function(s) {
                  return isOne(s) ? "at %s second past the minute" : "at %s seconds past the minute";
                };
                en2.prototype.everyX0Minutes = function(s) {
                  return isOne(s) ? "every %s minute" : "every %s minutes";
                };
                en2.prototype.minutesX0ThroughX1PastTheHour = function() {
                  return "minutes %s through %s past the hour";
                };
                en2.prototype.atX0MinutesPastTheHour = function(s) {
                  return isOne(s) ? "at %s minute past the hour" : "at %s minutes past the hour";
                };
                en2.prototype.everyX0Hours = function(s) {
                  return isOne(s) ? "every %s hour" : "every %s hours";
                };
                en2.prototype.betweenX0AndX1 = function() {
                  return "between %s and %s";
                };
                en2.prototype.atX0 = function() {
                  return "at %s";
                };
                en2.prototype.commaEveryDay = function() {
                  return ", every day";
                };
                en2.prototype.commaEveryX0DaysOfTheWeek = function() {
                  return ", every %s days of the week";
                };
                en2.prototype.commaX0ThroughX1 = function() {
                  return ", %s through %s";
                };
                en2.prototype.commaAndX0ThroughX1 = function() {
                  return ", %s through %s";
                };
                en2.prototype.first = function() {
                  return "first";
                };
                en2.prototype.second = function() {
                  return "second";
                };
                en2.prototype.third = function() {
                  return "third";
                };
                en2.prototype.fourth = function() {
                  return "fourth";
                };
                en2.prototype.fifth = function() {
                  return "fifth";
                };
                en2.prototype.commaOnThe = function() {
                  return ", on the ";
                };
                en2.prototype.spaceX0OfTheMonth = function() {
                  return " %s of the month";
                };
                en2.prototype.lastDay = function() {
                  return "the last day";
                };
                en2.prototype.commaOnTheLastX0OfTheMonth = function() {
                  return ", on the last %s of the month";
                };
                en2.prototype.commaOnlyOnX0 = function() {
                  return ", only on %s";
                };
                en2.prototype.commaAndOnX0 = function() {
                  return ", and on %s";
                };
                en2.prototype.commaEveryX0Months = function() {
                  return ", every %s months";
                };
                en2.prototype.commaOnlyInX0 = function() {
                  return ", only in %s";
                };
                en2.prototype.commaOnTheLastDayOfTheMonth = function() {
                  return ", on the last day of the month";
                };
                en2.prototype.commaOnTheLastWeekdayOfTheMonth = function() {
                  return ", on the last weekday of the month";
                };
                en2.prototype.commaDaysBeforeTheLastDayOfTheMonth = function(s) {
                  return isOne(s) ? ", %s day before the last day of the month" : ", %s days before the last day of the month";
                };
                en2.prototype.firstWeekday = function() {
                  return "first weekday";
                };
                en2.prototype.weekdayNearestDayX0 = function() {
                  return "weekday nearest day %s";
                };
                en2.prototype.commaOnTheX0OfTheMonth = function() {
                  return ", on the %s of the month";
                };
                en2.prototype.commaDaysBeforeTheX0OfTheMonth = function(s) {
                  return isOne(s) ? ", %s day before the %s of the month" : ", %s days before the %s of the month";
                };
                en2.prototype.commaDaysAfterTheX0OfTheMonth = function(s) {
                  return isOne(s) ? ", %s day after the %s of the month" : ", %s days after the %s of the month";
                };
                en2.prototype.commaEveryX0Days = function() {
                  return ", every %s days in a month";
                };
                en2.prototype.commaBetweenDayX0AndX1OfTheMonth = function() {
                  return ", between day %s and %s of the month";
                };
                en2.prototype.commaOnDayX0OfTheMonth = function() {
                  return ", on day %s of the month";
                };
                en2.prototype.commaEveryHour = function() {
                  return ", every hour";
                };
                en2.prototype.commaEveryX0Years = function(s) {
                  return isOne(s) ? ", every %s year" : ", every %s years";
                };
                en2.prototype.commaStartingX0 = function() {
                  return ", starting %s";
                };
                en2.prototype.daysOfTheWeek = function() {
                  return [
                    "Sunday",
                    "Monday",
                    "Tuesday",
                    "Wednesday",
                    "Thursday",
                    "Friday",
                    "Saturday"
                  ];
                };
                en2.prototype.monthsOfTheYear = function() {
                  return [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December"
                  ];
                };
                en2.prototype.atReboot = function() {
                  return "Run once, at startup";
                };
                en2.prototype.onTheHour = function() {
                  return "on the hour";
                };
                return en2;
              }();
              exports2.en = en;
            },
            /***/
            9515(__unused_webpack_module, exports2) {
              Object.defineProperty(exports2, "__esModule", {
                value: true
              });
              function assert(value, message) {
                if (!value) {
                  throw new Error(message);
                }
              }
              function rangeValues(part) {
                var values = [];
                if (!isNaN(parseInt(part, 10))) {
                  values.push(parseInt(part, 10));
                  var range = part.match(/^\d+-(-?\d+)/);
                  if (range) {
                    values.push(parseInt(range[1], 10));
                  }
                }
                return values;
              }
              var RangeValidator = function() {
                function RangeValidator2() {
                }
                RangeValidator2.stepRange = function(parse) {
                  var parsed = parse.split(",");
                  for (var i = 0; i < parsed.length; i++) {
                    var step = parsed[i].split("/")[1];
                    assert(step === void 0 || !/^0+$/.test(step), "step value must be greater than 0");
                  }
                };
                RangeValidator2.secondRange = function(parse) {
                  var parsed = parse.split(",");
                  for (var i = 0; i < parsed.length; i++) {
                    for (var _i = 0, _a = rangeValues(parsed[i]); _i < _a.length; _i++) {
                      var second = _a[_i];
                      assert(second >= 0 && second <= 59, "seconds part must be >= 0 and <= 59");
                    }
                  }
                };
                RangeValidator2.minuteRange = function(parse) {
                  var parsed = parse.split(",");
                  for (var i = 0; i < parsed.length; i++) {
                    for (var _i = 0, _a = rangeValues(parsed[i]); _i < _a.length; _i++) {
                      var minute = _a[_i];
                      assert(minute >= 0 && minute <= 59, "minutes part must be >= 0 and <= 59");
                    }
                  }
                };
                RangeValidator2.hourRange = function(parse) {
                  var parsed = parse.split(",");
                  for (var i = 0; i < parsed.length; i++) {
                    for (var _i = 0, _a = rangeValues(parsed[i]); _i < _a.length; _i++) {
                      var hour = _a[_i];
                      assert(hour >= 0 && hour <= 23, "hours part must be >= 0 and <= 23");
                    }
                  }
                };
                RangeValidator2.dayOfMonthRange = function(parse) {
                  var parsed = parse.split(",");
                  for (var i = 0; i < parsed.length; i++) {
                    for (var _i = 0, _a = rangeValues(parsed[i]); _i < _a.length; _i++) {
                      var dayOfMonth = _a[_i];
                      assert(dayOfMonth >= 1 && dayOfMonth <= 31, "DOM part must be >= 1 and <= 31");
                    }
                  }
                };
                RangeValidator2.monthRange = function(parse, monthStartIndexZero) {
                  var parsed = parse.split(",");
                  for (var i = 0; i < parsed.length; i++) {
                    for (var _i = 0, _a = rangeValues(parsed[i]); _i < _a.length; _i++) {
                      var month = _a[_i];
                      assert(month >= 1 && month <= 12, monthStartIndexZero ? "month part must be >= 0 and <= 11" : "month part must be >= 1 and <= 12");
                    }
                  }
                };
                RangeValidator2.dayOfWeekRange = function(parse, dayOfWeekStartIndexZero) {
                  var parsed = parse.split(",");
                  for (var i = 0; i < parsed.length; i++) {
                    if (parsed[i].indexOf("#") > -1) {
                      var nthString = parsed[i].substring(parsed[i].indexOf("#") + 1);
                      assert(/^[1-5]$/.test(nthString), "DOW nth weekday must be >= 1 and <= 5");
                    }
                    for (var _i = 0, _a = rangeValues(parsed[i]); _i < _a.length; _i++) {
                      var dayOfWeek = _a[_i];
                      assert(dayOfWeek >= 0 && dayOfWeek <= 6, dayOfWeekStartIndexZero ? "DOW part must be >= 0 and <= 6" : "DOW part must be >= 1 and <= 7");
                    }
                  }
                };
                return RangeValidator2;
              }();
              exports2["default"] = RangeValidator;
            },
            /***/
            1823(__unused_webpack_module, exports2) {
              Object.defineProperty(exports2, "__esModule", {
                value: true
              });
              exports2.StringUtilities = void 0;
              var StringUtilities = function() {
                function StringUtilities2() {
                }
                StringUtilities2.format = function(template) {
                  var values = [];
                  for (var _i = 1; _i < arguments.length; _i++) {
                    values[_i - 1] = arguments[_i];
                  }
                  return template.replace(/%s/g, function(substring) {
                    var args = [];
                    for (var _i2 = 1; _i2 < arguments.length; _i2++) {
                      args[_i2 - 1] = arguments[_i2];
                    }
                    return values.shift();
                  });
                };
                StringUtilities2.containsAny = function(text, searchStrings) {
                  return searchStrings.some(function(c) {
                    return text.indexOf(c) > -1;
                  });
                };
                return StringUtilities2;
              }();
              exports2.StringUtilities = StringUtilities;
            }
          };
          var __webpack_module_cache__ = {};
          function __webpack_require__(moduleId) {
            var cachedModule = __webpack_module_cache__[moduleId];
            if (cachedModule !== void 0) {
              return cachedModule.exports;
            }
            var module2 = __webpack_module_cache__[moduleId] = {
              /******/
              // no module.id needed
              /******/
              // no module.loaded needed
              /******/
              exports: {}
            };
            __webpack_modules__[moduleId](module2, module2.exports, __webpack_require__);
            return module2.exports;
          }
          var __webpack_exports__ = {};
          (() => {
            var exports2 = __webpack_exports__;
            Object.defineProperty(exports2, "__esModule", {
              value: true
            });
            exports2.toString = void 0;
            var expressionDescriptor_1 = __webpack_require__(8333);
            var enLocaleLoader_1 = __webpack_require__(3747);
            expressionDescriptor_1.ExpressionDescriptor.initialize(new enLocaleLoader_1.enLocaleLoader());
            exports2["default"] = expressionDescriptor_1.ExpressionDescriptor;
            var cronstrue_toString = expressionDescriptor_1.ExpressionDescriptor.toString;
            exports2.toString = cronstrue_toString;
          })();
          return __webpack_exports__;
        })()
      );
    });
  }
});

// entry
var import_npm_cronstrue_3_39 = __toESM(require_cronstrue());
var export_default = import_npm_cronstrue_3_39.default;
export {
  export_default as default
};
